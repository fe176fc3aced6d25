/**
 * A migration file read as SQL: its convention, its UP and DOWN parts and their statements.
 * Built once per document version; rules only read it.
 */
import { LineIndex } from '../sql/positions';
import { parseSql, SqlStatement, SqlSyntaxError } from '../sql/parse';
import { detectConvention } from './conventions';
import { ConventionInfo, ConventionName, FileSystem, PartSpan } from './model';

export interface Part extends PartSpan {
  statements: Statement[];
  /** Syntax errors; always empty for a commented-out part (it is not run as written). */
  errors: SqlSyntaxError[];
}

export interface Statement extends SqlStatement {
  part: Part;
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
}

export interface ReadOptions {
  convention?: ConventionName | 'auto';
  /** Detect the convention and parts but do not parse the SQL (files too large to analyse). */
  skipSql?: boolean;
}

export function readMigration(path: string, text: string, fs: FileSystem, options: ReadOptions = {}): Migration {
  const forced = options.convention && options.convention !== 'auto' ? options.convention : undefined;
  const file = readFile(path, text, detectConvention(path, text, fs, forced), options.skipSql);
  let twin: MigrationFile | undefined | null = null;
  return {
    ...file,
    up: file.statements.filter((s) => s.part.kind === 'up'),
    down: file.statements.filter((s) => s.part.kind === 'down'),
    twin() {
      if (twin === null) {
        const twinPath = file.convention.twin;
        const twinText = twinPath && file.convention.twinExists ? fs.readFile(twinPath) : undefined;
        twin = twinPath && twinText !== undefined ? readFile(twinPath, twinText, detectConvention(twinPath, twinText, fs, forced)) : undefined;
      }
      return twin;
    },
  };
}

function readFile(path: string, text: string, convention: ConventionInfo, skipSql = false): MigrationFile {
  const parts = convention.parts.map((span) => (skipSql ? { ...span, statements: [], errors: [] } : readPart(text, span)));
  return { path, text, lines: new LineIndex(text), convention, parts, statements: parts.flatMap((p) => p.statements) };
}

function readPart(text: string, span: PartSpan): Part {
  const part: Part = { ...span, statements: [], errors: [] };
  const source = text.slice(span.start, span.end);
  if (span.commentedOut) {
    part.statements = parseCommented(source, span.start).map((s) => ({ ...s, part }));
  } else {
    const parsed = parseSql(source, span.start);
    part.statements = parsed.statements.map((s) => ({ ...s, part }));
    part.errors = parsed.errors;
  }
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
    if (statement.node) {
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
