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
  const uncommented = source.replace(/^([ \t]*)--/gm, '$1  ');
  const parsed = parseSql(uncommented, base);
  if (parsed.errors.length === 0) return parsed.statements;
  const out: SqlStatement[] = [];
  for (const statement of parsed.statements) {
    if (statement.node) {
      out.push(statement);
      continue;
    }
    // Retry from each later line of the failed chunk until one parses.
    const local = uncommented.slice(statement.start - base, statement.end - base);
    for (let nl = local.indexOf('\n'); nl >= 0; nl = local.indexOf('\n', nl + 1)) {
      const retry = parseSql(local.slice(nl + 1), statement.start + nl + 1);
      if (retry.errors.length === 0) {
        out.push(...retry.statements);
        break;
      }
    }
  }
  return out;
}
