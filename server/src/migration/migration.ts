/**
 * The pipeline's model stage: a recognised migration file (recognise.ts) read as SQL, its UP and
 * DOWN parts and their statements, and its twin's, parsed on first use from the text recognition
 * read. Reads no file. Built once per document version; rules only read it.
 */
import { LineIndex } from '../sql/positions';
import { parseSql, SqlStatement, SqlSyntaxError } from '../sql/parse';
import type { EmbeddedSql } from '../typescript/embedded-sql';
import { fileStatements } from '../typescript/parse-embedded';
import { ConventionInfo, ConventionName, FileSystem, PartSpan } from './model';
import { recognise, Recognition } from './recognise';

export interface Part extends PartSpan {
  statements: Statement[];
  /** Syntax errors; always empty for a commented-out part (it is not run as written). */
  errors: SqlSyntaxError[];
}

export interface Statement extends SqlStatement {
  part: Part;
}

/** A stretch of the file; statements of a list are in file order and do not overlap. */
interface Span {
  start: number;
  end: number;
}

/**
 * The first of `statements` (in file order) that holds `offset`, both ends included. Looked up by
 * bisection: a file can hold thousands of statements and as many findings to place.
 */
export function statementAt<S extends Span>(statements: readonly S[], offset: number): S | undefined {
  return statementsAt(statements, offset)[0];
}

/** Every statement of `statements` that holds `offset`, both ends included: one, none, or two that touch there. */
export function statementsAt<S extends Span>(statements: readonly S[], offset: number): S[] {
  const out: S[] = [];
  // Ends grow with starts: the holders follow the first statement that ends at or after `offset`.
  for (let i = firstIndex(statements, (s) => s.end >= offset); i < statements.length && statements[i].start <= offset; i++) {
    if (statements[i].end >= offset) out.push(statements[i]);
  }
  return out;
}

/** The last of `statements` that starts before `offset`. */
export function lastStartingBefore<S extends Span>(statements: readonly S[], offset: number): S | undefined {
  return statements[firstIndex(statements, (s) => s.start >= offset) - 1];
}

/** The first of `statements` that starts after `offset`. */
export function firstStartingAfter<S extends Span>(statements: readonly S[], offset: number): S | undefined {
  return statements[firstIndex(statements, (s) => s.start > offset)];
}

/** The index of the first item for which `after` holds (it holds for every later one), or the length. */
function firstIndex<S>(items: readonly S[], after: (item: S) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (after(items[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface MigrationFile {
  path: string;
  text: string;
  lines: LineIndex;
  convention: ConventionInfo;
  parts: Part[];
  /** Every statement of the file, in order. */
  statements: Statement[];
}

export interface Migration extends MigrationFile {
  /** The UP statements of this migration held in this file. */
  up: Statement[];
  /** The DOWN statements of this file. */
  down: Statement[];
  /** The file holding the other part (the twin), parsed on first use; undefined when there is none. */
  twin(): MigrationFile | undefined;
  /** The twin's text, read without parsing it; undefined when there is none. */
  twinText(): string | undefined;
}

export interface ReadOptions {
  convention?: ConventionName | 'auto';
  /** Detect the convention and parts but do not parse the SQL (files too large to analyse). */
  skipSql?: boolean;
}

/** Recognises the file (reading what its convention names) and builds its model. */
export function readMigration(path: string, text: string, fs: FileSystem, options: ReadOptions = {}): Migration {
  const forced = options.convention && options.convention !== 'auto' ? options.convention : undefined;
  // A file too large to analyse has no rules to run, so nothing needs its twin.
  const recognition = recognise(path, text, fs, { forced, twin: !options.skipSql });
  return buildMigration(recognition, { skipSql: options.skipSql, memo: fs.memo?.bind(fs) });
}

export interface BuildOptions {
  skipSql?: boolean;
  /** The file system's memo, for the parses of recent files (see parsedFile); no file is read through it. */
  memo?: FileSystem['memo'];
}

/** The model of a recognised file: parts parsed now, the twin's on first use. */
export function buildMigration(recognition: Recognition, options: BuildOptions = {}): Migration {
  const { path, text, convention } = recognition;
  const file = options.skipSql ? readFile(path, text, convention, true) : parsedFile(path, text, convention, options.memo);
  let twin: MigrationFile | undefined | null = null;
  return {
    ...file,
    up: file.statements.filter((s) => s.part.kind === 'up'),
    down: file.statements.filter((s) => s.part.kind === 'down'),
    twin() {
      if (twin === null) {
        const t = recognition.twin;
        twin = t ? parsedFile(t.path, t.text, t.convention, options.memo) : undefined;
      }
      return twin;
    },
    twinText: () => recognition.twin?.text,
  };
}

/**
 * A file parsed, or the same file parsed moments ago: an up file's rule reads its down twin, and
 * the down file is linted next (or the other way round). The few most recent parses of files
 * that have a twin are kept on the file system's memo, which forgets them when files change; the
 * text and the recognised parts must match too. Other files are not kept: their trees would
 * outlive their lint for nothing, which costs the garbage collector.
 */
function parsedFile(path: string, text: string, convention: ConventionInfo, memo: FileSystem['memo']): MigrationFile {
  const recent = memo?.('recent-parses', () => new Map<string, { text: string; key: string; file: MigrationFile }>());
  const key = recent && convention.twinExists ? partsKey(convention) : '';
  const hit = recent?.get(path);
  if (hit && hit.text === text && hit.key === key) return hit.file.convention === convention ? hit.file : { ...hit.file, convention };
  const file = readFile(path, text, convention);
  if (recent && convention.twinExists) {
    recent.delete(path);
    recent.set(path, { text, key, file });
    if (recent.size > RECENT_PARSES) recent.delete(recent.keys().next().value!);
  }
  return file;
}

/** What a parse depends on besides the text: the convention and its parts. */
function partsKey(convention: ConventionInfo): string {
  return convention.name + convention.parts.map((p) => `|${p.kind}${p.start}-${p.end}${p.commentedOut ? 'c' : ''}${p.runnerTransaction ? 't' : ''}`).join('');
}

const RECENT_PARSES = 4;

function readFile(path: string, text: string, convention: ConventionInfo, skipSql = false): MigrationFile {
  const parts = convention.parts.map((span) => (skipSql ? { ...span, statements: [], errors: [] } : convention.embedded ? readEmbeddedPart(span, convention.embedded.sql) : readPart(text, span)));
  return { path, text, lines: new LineIndex(text), convention, parts, statements: parts.flatMap((p) => p.statements) };
}

/** The SQL a TS/JS migration's part runs, as statements at the characters of its strings. */
const pieceOfStatement = new WeakMap<SqlStatement, EmbeddedSql>();

/** The string or builder call of a TS/JS migration a statement was read from. */
export function pieceOf(statement: SqlStatement): EmbeddedSql | undefined {
  return pieceOfStatement.get(statement);
}

function readEmbeddedPart(span: PartSpan, pieces: readonly EmbeddedSql[]): Part {
  const part: Part = { ...span, statements: [], errors: [] };
  // SQL in a `catch` runs only when the migration fails: not part of what it does.
  for (const piece of pieces) {
    if (piece.part !== span.kind || piece.onError) continue;
    const { statements, errors } = fileStatements(piece);
    for (const statement of statements) {
      // `if (done) { ROLLBACK; return }`: a way out that control flow picks, like a `catch`.
      if (piece.conditional && isRollback(statement)) continue;
      (statement as Statement).part = part;
      pieceOfStatement.set(statement, piece);
      part.statements.push(statement as Statement);
    }
    part.errors.push(...errors);
  }
  part.statements.sort((a, b) => a.start - b.start);
  return part;
}

const isRollback = (s: SqlStatement): boolean => s.kind === 'TransactionStmt' && /^\s*(?:ROLLBACK|ABORT)\b/i.test(s.text);

function readPart(text: string, span: PartSpan): Part {
  const part: Part = { ...span, statements: [], errors: [] };
  const source = text.slice(span.start, span.end);
  const parsed = span.commentedOut ? { statements: parseCommented(source, span.start), errors: [] } : parseSql(source, span.start);
  // The parsed statements are this part's alone: give each its part in place rather than copy it.
  for (const statement of parsed.statements) (statement as Statement).part = part;
  part.statements = parsed.statements as Statement[];
  part.errors = parsed.errors;
  return part;
}

/**
 * A DOWN section written as `-- …` lines: uncomment it in place (offsets keep) and read the SQL.
 * Prose lines among the SQL (`-- Remove the index`) are dropped until the statement parses.
 */
function parseCommented(source: string, base: number): SqlStatement[] {
  return parseAmongProse(source.replace(/^([ \t]*)--/gm, '$1  '), base);
}

/** A line that may start a statement; prose lines are skipped without parsing. */
const STATEMENT_START = /^\s*(?:ABORT|ALTER|ANALY[SZ]E|BEGIN|CALL|CHECKPOINT|CLUSTER|COMMENT|COMMIT|COPY|CREATE|DEALLOCATE|DECLARE|DELETE|DISCARD|DO|DROP|END|EXECUTE|EXPLAIN|GRANT|IMPORT|INSERT|LISTEN|LOAD|LOCK|MERGE|NOTIFY|PREPARE|REASSIGN|REFRESH|REINDEX|RELEASE|RESET|REVOKE|ROLLBACK|SAVEPOINT|SECURITY|SELECT|SET|START|TABLE|TRUNCATE|UPDATE|VACUUM|VALUES|WITH)\b/i;

/**
 * A chunk that does not parse is read again from its next line that starts like a statement, so
 * the SQL after a prose line survives, even one with an apostrophe (`Don't …`) that opens a
 * runaway string. Prose lines are skipped without parsing: long notes stay cheap.
 */
function parseAmongProse(text: string, base: number): SqlStatement[] {
  const parsed = parseSql(text, base);
  if (parsed.errors.length === 0) return parsed.statements;
  const out: SqlStatement[] = [];
  for (const statement of parsed.statements) {
    if (statement.kind !== '') {
      out.push(statement);
      continue;
    }
    const end = statement.end - base;
    for (let nl = text.indexOf('\n', statement.start - base); nl >= 0 && nl < end; nl = text.indexOf('\n', nl + 1)) {
      if (!STATEMENT_START.test(text.slice(nl + 1, Math.min(end, nl + 81)))) continue;
      out.push(...parseAmongProse(text.slice(nl + 1, end), base + nl + 1));
      break;
    }
  }
  return out;
}
