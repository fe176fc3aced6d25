/**
 * What applying or rolling back a migration sends: the statements of its UP or DOWN part (from
 * this file or its twin), as the engine parsed them, and whether they run in one transaction.
 */
import type { Node } from 'libpg-query';
import type { Migration, MigrationFile, Part } from '../migration/migration';
import { keyOfNames, names, nodeOf, qualifiedName } from '../sql/ast';
import { lex } from '../sql/lexer';
import type { LineIndex } from '../sql/positions';

export type Direction = 'up' | 'down';

export interface PlannedStatement {
  /** 1-based position in the plan. */
  number: number;
  /** The text sent: the statement as written (uncommented for a commented-out DOWN section), without its `;`. */
  sql: string;
  /** The file holding it, and its offsets there (UTF-16). */
  path: string;
  start: number;
  end: number;
  /** 0-based line of its start. */
  line: number;
  /** Parse-tree kind (`AlterTableStmt`). */
  kind: string;
  /** Why it destroys data (DROP TABLE, DROP COLUMN, TRUNCATE, DELETE without WHERE), if it does. */
  destructive?: string;
  /** Why it cannot run inside a transaction block, if so. */
  noTransaction?: string;
  /** The index a `CREATE INDEX CONCURRENTLY` builds (`schema.name` or `name`): an INVALID one of that name, left by a failed run, is dropped first. */
  concurrentIndex?: string;
}

export interface Plan {
  direction: Direction;
  /** The files the statements come from (this file, or its twin for the other direction). */
  files: { path: string; text: string; lines: LineIndex }[];
  statements: PlannedStatement[];
  /** One transaction around every statement (and the history record); else one by one, committed as they go. */
  transaction: boolean;
  /** Why it runs as it does, said in the output. */
  mode: string;
  /** The part was SQL written as comments (the template's DOWN section). */
  commentedOut: boolean;
  /** Statements of the file not sent (its own BEGIN/COMMIT taken as the transaction). */
  notes: string[];
}

/** The migration cannot be run that way: no such part, or SQL that does not parse. */
export class PlanError extends Error {}

const RUNNER_OPT_OUT: Record<string, string> = {
  goose: 'the file says -- +goose NO TRANSACTION',
  dbmate: 'its -- migrate: marker says transaction:false',
  diesel: 'metadata.toml says run_in_transaction = false',
  knex: 'the file exports config = { transaction: false }',
  'node-pg-migrate': 'it calls pgm.noTransaction()',
  typeorm: 'the class sets transaction = false',
};

export function planMigration(migration: Migration, direction: Direction): Plan {
  const embedded = migration.convention.embedded;
  if (embedded?.dynamic) {
    // Never guess what code will run: only SQL known in full before it runs is sent.
    const at = migration.lines.positionAt(embedded.dynamic.start);
    throw new PlanError(
      `${migration.path}:${at.line + 1}:${at.character + 1}: safemig runs a ${migration.convention.name} migration only when all of its SQL is known before it runs, and here ${embedded.dynamic.description}. Run it with the project's own migration command instead; nothing ran`,
    );
  }
  const source = partsOf(migration, direction);
  if (!source) {
    const convention = migration.convention;
    if (direction === 'down' && embedded?.down === 'irreversible') throw new PlanError(`${migration.path} declares itself irreversible (down = false): it has no DOWN part to run`);
    if (direction === 'down') {
      const why = !convention.expectsRollback
        ? ` (${convention.name} migrations are roll-forward: write a new migration that undoes it)`
        : convention.twin
          ? ` (no rollback file: ${convention.twin})`
          : ' (add a DOWN section)';
      throw new PlanError(`${migration.path} has no DOWN part${why}`);
    }
    throw new PlanError(`${migration.path} has no UP part${convention.twin ? ` and its UP file ${convention.twin} is missing` : ''}`);
  }
  const { file, parts } = source;
  const errors = parts.flatMap((p) => p.errors);
  if (errors.length > 0) {
    const e = errors[0];
    const at = file.lines.positionAt(e.start);
    throw new PlanError(`${file.path}:${at.line + 1}:${at.character + 1}: ${e.message} (fix the syntax error first; nothing ran)`);
  }
  const commentedOut = parts.some((p) => p.commentedOut);
  const planned: PlannedStatement[] = [];
  for (const part of parts) {
    const text = part.commentedOut ? uncommentedText(file.text, part) : file.text;
    for (const s of part.statements) {
      const statement: PlannedStatement = {
        number: 0,
        // A TS/JS migration's statement as the database receives it (escapes decoded, builders written out).
        sql: file.convention.embedded ? s.text : text.slice(s.start, s.end),
        path: file.path,
        start: s.start,
        end: s.end,
        line: file.lines.positionAt(s.start).line,
        kind: s.kind,
      };
      const destructive = destructiveReason(s.node);
      if (destructive) statement.destructive = destructive;
      const noTransaction = noTransactionReason(s.node);
      if (noTransaction) statement.noTransaction = noTransaction;
      const index = nodeOf(s.node, 'IndexStmt');
      if (index?.concurrent && index.idxname) statement.concurrentIndex = index.relation?.schemaname ? `${index.relation.schemaname}.${index.idxname}` : index.idxname;
      planned.push(statement);
    }
  }

  if (planned.length === 0) throw new PlanError(`the ${direction.toUpperCase()} part of ${file.path} has no statements`);
  const notes: string[] = metaCommands(file, parts);
  let statements = planned;
  let transaction = true;
  let mode = 'in one transaction';
  const control = planned.filter((s) => s.kind === 'TransactionStmt');
  const first = planned[0];
  const last = planned[planned.length - 1];
  if (control.length === 2 && first === control[0] && last === control[1] && isBegin(first.sql) && /^(COMMIT|END)\b/i.test(last.sql)) {
    // The file's own BEGIN … COMMIT: run its body in our transaction, with the history record.
    statements = planned.slice(1, -1);
    notes.push(`the file's own BEGIN (line ${first.line + 1}) … COMMIT (line ${last.line + 1}) is the transaction`);
  } else if (control.length > 0) {
    transaction = false;
    mode = `statement by statement, as written: the file controls its transactions (${control.map((s) => `${s.sql.split(/\s/)[0].toUpperCase()} line ${s.line + 1}`).join(', ')})`;
  }
  const blocker = statements.find((s) => s.noTransaction);
  const optOut = parts.some((p) => !p.runnerTransaction) ? RUNNER_OPT_OUT[migration.convention.name] : undefined;
  if (transaction && blocker) {
    transaction = false;
    mode = `statement by statement, each committed as it runs: ${blocker.noTransaction} cannot run inside a transaction (line ${blocker.line + 1})`;
  } else if (transaction && optOut) {
    transaction = false;
    mode = `statement by statement, each committed as it runs: ${optOut}`;
  }
  statements.forEach((s, i) => (s.number = i + 1));
  const files = [{ path: file.path, text: file.text, lines: file.lines }];
  return { direction, files, statements, transaction, mode, commentedOut, notes };
}

/** The file and parts holding the UP or DOWN statements of a migration: this file's, else its twin's. */
function partsOf(migration: Migration, direction: Direction): { file: MigrationFile; parts: Part[] } | undefined {
  const own = migration.parts.filter((p) => p.kind === direction);
  if (own.length > 0) return { file: migration, parts: own };
  // A split migration (x.up.sql + x.down.sql, rollback_x.sql, flyway U…): the other file holds it.
  if (migration.convention.role === 'migration') return undefined;
  const twin = migration.twin();
  const theirs = twin?.parts.filter((p) => p.kind === direction) ?? [];
  return twin && theirs.length > 0 ? { file: twin, parts: theirs } : undefined;
}

/**
 * The text of a commented-out part with its `--` turned into spaces, as migration.ts read it:
 * offsets are unchanged, so the parsed statements' offsets slice it directly.
 */
function uncommentedText(text: string, part: Part): string {
  return text.slice(0, part.start) + text.slice(part.start, part.end).replace(/^([ \t]*)--/gm, '$1  ') + text.slice(part.end);
}

/** psql meta-commands (`\set`, `\i`) are not SQL: they are skipped, and the output says so. */
function metaCommands(file: MigrationFile, parts: Part[]): string[] {
  const notes: string[] = [];
  if (file.convention.embedded) return notes;
  for (const part of parts) {
    if (part.commentedOut) continue;
    for (const token of lex(file.text.slice(part.start, part.end))) {
      if (token.kind === 'meta') notes.push(`psql meta-command skipped (line ${file.lines.positionAt(part.start + token.start).line + 1}): ${token.value.trim()}`);
    }
  }
  return notes;
}

function isBegin(sql: string): boolean {
  return /^(BEGIN|START\s+TRANSACTION)\b/i.test(sql);
}

/** Statements PostgreSQL refuses inside a transaction block. */
export function noTransactionReason(node: Node | undefined): string | undefined {
  if (nodeOf(node, 'IndexStmt')?.concurrent) return 'CREATE INDEX CONCURRENTLY';
  const drop = nodeOf(node, 'DropStmt');
  if (drop?.concurrent) return 'DROP INDEX CONCURRENTLY';
  const reindex = nodeOf(node, 'ReindexStmt');
  if (reindex?.params?.some((p) => nodeOf(p, 'DefElem')?.defname === 'concurrently')) return 'REINDEX CONCURRENTLY';
  if (nodeOf(node, 'VacuumStmt')?.is_vacuumcmd) return 'VACUUM';
  if (nodeOf(node, 'CreatedbStmt')) return 'CREATE DATABASE';
  if (nodeOf(node, 'DropdbStmt')) return 'DROP DATABASE';
  if (nodeOf(node, 'AlterSystemStmt')) return 'ALTER SYSTEM';
  if (nodeOf(node, 'CreateTableSpaceStmt')) return 'CREATE TABLESPACE';
  if (nodeOf(node, 'DropTableSpaceStmt')) return 'DROP TABLESPACE';
  const alter = nodeOf(node, 'AlterTableStmt');
  if (alter?.cmds?.some((c) => nodeOf(nodeOf(c, 'AlterTableCmd')?.def, 'PartitionCmd')?.concurrent)) return 'DETACH PARTITION CONCURRENTLY';
  return undefined;
}

const DROPPED_DATA: Record<string, string> = {
  OBJECT_TABLE: 'DROP TABLE',
  OBJECT_SCHEMA: 'DROP SCHEMA',
  OBJECT_MATVIEW: 'DROP MATERIALIZED VIEW',
  OBJECT_SEQUENCE: 'DROP SEQUENCE',
  OBJECT_TYPE: 'DROP TYPE',
  OBJECT_DOMAIN: 'DROP DOMAIN',
  OBJECT_FOREIGN_TABLE: 'DROP FOREIGN TABLE',
};

/** Statements that lose data when they run: drops of data-holding objects, truncates, unfiltered deletes. */
export function destructiveReason(node: Node | undefined): string | undefined {
  const drop = nodeOf(node, 'DropStmt');
  if (drop && drop.removeType && DROPPED_DATA[drop.removeType]) {
    // Tables are name lists, schemas a string, types and domains a TypeName.
    const objects = (drop.objects ?? [])
      .map((o) => keyOfNames(names(nodeOf(o, 'List')?.items ?? nodeOf(o, 'TypeName')?.names)) || nodeOf(o, 'String')?.sval || '')
      .filter(Boolean);
    return `${DROPPED_DATA[drop.removeType]} ${objects.join(', ')}`.trim();
  }
  if (nodeOf(node, 'DropdbStmt')) return `DROP DATABASE ${nodeOf(node, 'DropdbStmt')?.dbname ?? ''}`.trim();
  const alter = nodeOf(node, 'AlterTableStmt');
  const dropped = (alter?.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd')).filter((c) => c?.subtype === 'AT_DropColumn').map((c) => c?.name ?? '');
  if (alter && dropped.length > 0) return `DROP COLUMN ${dropped.map((c) => `${qualifiedName(alter.relation)}.${c}`).join(', ')}`;
  const truncate = nodeOf(node, 'TruncateStmt');
  if (truncate) return `TRUNCATE ${(truncate.relations ?? []).map((r) => qualifiedName(nodeOf(r, 'RangeVar'))).join(', ')}`;
  const del = nodeOf(node, 'DeleteStmt');
  if (del && !del.whereClause) return `DELETE FROM ${qualifiedName(del.relation)} without WHERE`;
  return undefined;
}
