/**
 * What the shadow runs: the statements of a migration's UP or DOWN part as its runner would send
 * them (planMigration: sections, twins, commented-out DOWN sections), made fit to run inside the
 * shadow's transaction, with the names each one uses.
 */
import { basename } from 'node:path';
import type { RangeVar } from 'libpg-query';
import { Plan, planMigration, PlanError, Direction } from '../database/plan';
import { inversesOf } from '../migration/inverse';
import type { Migration, MigrationFile, Statement } from '../migration/migration';
import { nameEnd, tableKey, walkTree } from '../sql/ast';
import { lex } from '../sql/lexer';
import { LineIndex } from '../sql/positions';
import { parseSql, SqlStatement } from '../sql/parse';

export interface ShadowStatement {
  /** The text sent: as written, with `CONCURRENTLY` blanked out (same length, so positions hold). */
  sql: string;
  path: string;
  /** Offsets in the file (UTF-16). */
  start: number;
  end: number;
  /** `file line N`, for messages. */
  where: string;
  /** Its parsed statement, for the error's token and the names it uses. */
  parsed: SqlStatement;
  /** The file's text (what the parse tree's offsets are in). */
  source: string;
  /** `CONCURRENTLY` was blanked out: the shadow runs the plain form, whose locks are not this statement's. */
  plainForm?: boolean;
}

/** The relations a statement names, with the span of each name in the file. */
export function relationsOf(statement: SqlStatement): { key: string; start: number; end: number }[] {
  const out: { key: string; start: number; end: number }[] = [];
  walkTree(statement.node, (node) => {
    // A RangeVar's body: inline in typed fields (`relation`), wrapped in `{ RangeVar }` elsewhere.
    if (typeof node.relname !== 'string' || !('location' in node)) return;
    const range = node as RangeVar;
    out.push({ key: tableKey(range), start: statement.offsetOf(range.location), end: nameEnd(statement, range.location) });
  });
  return out;
}

/**
 * The names of what a statement makes (tables, columns, indexes, types, functions, constraints,
 * new names of renames), read from its mechanical inverse: what the shadow lacks when it fails.
 * `*` for an extension: what it would have made is not in the SQL.
 */
export function madeBy(statement: ShadowStatement): string[] {
  if (statement.parsed.kind === 'CreateExtensionStmt') return ['*'];
  return inversesOf(statement.parsed, statement.source)
    .map((inverse) => inverse.effect ?? '')
    .filter((effect) => effect !== '')
    .map((effect) => {
      const name = effect.slice(effect.indexOf(':') + 1);
      const renamed = name.split('->')[0];
      return renamed.slice(renamed.lastIndexOf('.') + 1);
    });
}

/** Statements with no effect on the schema that cannot run in a transaction block: not run in the shadow. */
const NOT_RUN = new Set(['VACUUM', 'REINDEX CONCURRENTLY', 'CREATE DATABASE', 'DROP DATABASE', 'ALTER SYSTEM', 'CREATE TABLESPACE', 'DROP TABLESPACE']);

/**
 * The statements of a migration's part, or undefined when there is none. A part PostgreSQL's
 * parser rejects is not run (syntax-error reports it): `unparsable` says so.
 */
export function shadowPart(migration: Migration, direction: Direction): { statements: ShadowStatement[]; unparsable?: string } | undefined {
  let plan: Plan;
  try {
    plan = planMigration(migration, direction);
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    // No such part (or an empty one): nothing to run. A syntax error: nothing runs either.
    return /fix the syntax error first/.test(error.message) ? { statements: [], unparsable: error.message } : undefined;
  }
  const file: MigrationFile | undefined = plan.files[0].path === migration.path ? migration : migration.twin();
  if (!file) return undefined;
  const byStart = new Map<number, Statement>(file.statements.map((s) => [s.start, s]));
  const lines = plan.files[0].lines;
  const out: ShadowStatement[] = [];
  for (const planned of plan.statements) {
    const parsed = byStart.get(planned.start);
    // The shadow runs in its own transaction: the file's BEGIN / COMMIT are not sent.
    if (!parsed || parsed.kind === 'TransactionStmt') continue;
    if (planned.noTransaction && NOT_RUN.has(planned.noTransaction)) continue;
    out.push(prepare(planned.sql, planned.path, planned.start, parsed, lines, !!planned.noTransaction));
  }
  return { statements: out };
}

/** A baseline file's statements (psql meta-commands skipped; statements PostgreSQL rejects left out). */
export function baselineStatements(path: string, text: string): ShadowStatement[] {
  const lines = new LineIndex(text);
  return parseSql(text).statements
    .filter((s) => s.kind !== '' && s.kind !== 'TransactionStmt')
    .map((s) => prepare(text.slice(s.start, s.end), path, s.start, s, lines, false));
}

function prepare(text: string, path: string, start: number, parsed: SqlStatement, lines: LineIndex, concurrent: boolean): ShadowStatement {
  let sql = text;
  if (concurrent) {
    // CREATE / DROP INDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY do to the schema what the plain forms do.
    const word = lex(sql).find((t) => t.kind === 'word' && t.value === 'CONCURRENTLY');
    if (word) sql = sql.slice(0, word.start) + ' '.repeat(word.end - word.start) + sql.slice(word.end);
  }
  return { sql, path, start, end: start + text.length, where: `${basename(path)} line ${lines.positionAt(start).line + 1}`, parsed, source: lines.text, ...(sql !== text ? { plainForm: true } : {}) };
}
