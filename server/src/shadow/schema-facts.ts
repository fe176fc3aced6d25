/**
 * Facts for the static rules from the shadow: which relations the UP part names exist before the
 * migration, and their columns (type, NOT NULL, a validated CHECK (col IS NOT NULL)). Read once,
 * before the UP part runs, for the relations the migration names only.
 */
import type { RangeVar } from 'libpg-query';
import type { Target } from '../database/target';
import { keyOfNames, names, nodeOf, treeOf, walkTree } from '../sql/ast';
import type { ShadowColumn, ShadowSchema, ShadowTable } from './findings';
import type { ShadowStatement } from './statements';

interface Named {
  key: string;
  schema: string | null;
  name: string;
}

/** The relations statements name: their table references and the objects of DROP TABLE / VIEW. */
function namedRelations(statements: ShadowStatement[]): Named[] {
  const out = new Map<string, Named>();
  const add = (schema: string | undefined, name: string) => {
    const key = keyOfNames(schema ? [schema, name] : [name]);
    if (!out.has(key)) out.set(key, { key, schema: schema ?? null, name });
  };
  for (const { parsed } of statements) {
    walkTree(parsed.node, (node) => {
      if (typeof node.relname !== 'string') return;
      const range = node as RangeVar;
      add(range.schemaname, range.relname!);
    });
    const drop = treeOf(parsed, 'DropStmt');
    if (drop && (drop.removeType === 'OBJECT_TABLE' || drop.removeType === 'OBJECT_VIEW' || drop.removeType === 'OBJECT_MATVIEW')) {
      for (const object of drop.objects ?? []) {
        const parts = names(nodeOf(object, 'List')?.items);
        if (parts.length === 1) add(undefined, parts[0]);
        if (parts.length === 2) add(parts[0], parts[1]);
      }
    }
  }
  return [...out.values()];
}

/** A validated CHECK as PostgreSQL prints it: `CHECK ((email IS NOT NULL))`, the column quoted when it must be. */
const NOT_NULL_CHECK = /^CHECK \(\(("(?:[^"]|"")+"|[^\s"()]+) IS NOT NULL\)\)$/;

/** The schema facts for `statements` (a migration's UP part), read from the shadow before they run. */
export async function readSchemaFacts(db: Target, statements: ShadowStatement[], complete: boolean): Promise<ShadowSchema> {
  const named = namedRelations(statements);
  if (named.length === 0) return { tables: [], complete };
  const rows = await db.query<{ key: string; oid: number; column: string | null; type: string | null; not_null: boolean | null }>(
    `WITH named AS (
       SELECT n.key, to_regclass(CASE WHEN n.schema IS NULL THEN quote_ident(n.name) ELSE quote_ident(n.schema) || '.' || quote_ident(n.name) END) AS oid
       FROM json_to_recordset($1::json) AS n(key text, schema text, name text)
     )
     SELECT named.key, named.oid::int AS oid, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
     FROM named LEFT JOIN pg_attribute a ON a.attrelid = named.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE named.oid IS NOT NULL
     ORDER BY named.key, a.attnum`,
    [JSON.stringify(named)],
  );
  const oids = [...new Set(rows.map((r) => r.oid))];
  const checks = await db.query<{ oid: number; def: string }>(
    `SELECT conrelid::int AS oid, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE contype = 'c' AND convalidated AND conrelid = ANY (SELECT (json_array_elements_text($1::json))::oid)`,
    [JSON.stringify(oids)],
  );
  const checked = new Set<string>();
  for (const check of checks) {
    const column = NOT_NULL_CHECK.exec(check.def)?.[1];
    if (column) checked.add(`${check.oid}:${column.startsWith('"') ? column.slice(1, -1).replace(/""/g, '"') : column}`);
  }
  const tables = new Map<string, ShadowTable>();
  for (const row of rows) {
    let table = tables.get(row.key);
    if (!table) tables.set(row.key, (table = { key: row.key, columns: [] }));
    if (row.column === null) continue;
    const column: ShadowColumn = { name: row.column, type: row.type ?? '', notNull: !!row.not_null, checkedNotNull: checked.has(`${row.oid}:${row.column}`) };
    table.columns.push(column);
  }
  return { tables: [...tables.values()], complete };
}
