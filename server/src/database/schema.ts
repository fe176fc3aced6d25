/**
 * The schema of a database read from its catalog, and what changed between two readings: the
 * verification queries the teams run by hand after a migration (tables, columns, indexes,
 * constraints…), done for every migration. The same queries run on a server and on PGlite.
 */
import { createHash } from 'node:crypto';
import { HISTORY_TABLE } from './history';
import type { Target } from './target';

export type ObjectKind =
  | 'schema'
  | 'extension'
  | 'table'
  | 'view'
  | 'materialized view'
  | 'sequence'
  | 'foreign table'
  | 'column'
  | 'index'
  | 'constraint'
  | 'trigger'
  | 'policy'
  | 'type'
  | 'function';

export interface SchemaObject {
  kind: ObjectKind;
  /** As shown: `users`, `audit.events`, `users.email`, `lower_email(text)`. */
  name: string;
  /** The table (key) a column, index, constraint, trigger or policy belongs to. */
  parent?: string;
  /** What is compared: type, definition, NOT NULL… (name → text). */
  props: Record<string, string>;
}

/** Objects by key (`kind name`). */
export type Snapshot = Map<string, SchemaObject>;

export interface SchemaChange {
  change: 'added' | 'removed' | 'altered';
  kind: ObjectKind;
  name: string;
  /** Added: its definition; altered: each property that differs (`type: text → varchar(80)`). */
  details: string[];
}

const SYSTEM_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;
/** Objects an extension created belong to the extension, not to the migration's report. */
const notFromExtension = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
const NOT_HISTORY = `NOT (n.nspname = 'public' AND c.relname = '${HISTORY_TABLE}')`;

const RELKIND: Record<string, ObjectKind> = { r: 'table', p: 'table', v: 'view', m: 'materialized view', S: 'sequence', f: 'foreign table' };

type Row = Record<string, unknown>;
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const flag = (v: unknown) => v === true || v === 't' || v === 'true';

/** Public-schema names are shown bare; others qualified. */
function qualify(schema: unknown, name: unknown): string {
  return schema === 'public' ? text(name) : `${text(schema)}.${text(name)}`;
}

interface Reader {
  sql: string;
  read(row: Row): SchemaObject;
}

const READERS: Reader[] = [
  {
    sql: `SELECT n.nspname FROM pg_namespace n WHERE ${SYSTEM_SCHEMAS} AND ${notFromExtension('pg_namespace', 'n.oid')} ORDER BY 1`,
    read: (r) => ({ kind: 'schema', name: text(r.nspname), props: {} }),
  },
  {
    sql: `SELECT extname, extversion FROM pg_extension ORDER BY 1`,
    read: (r) => ({ kind: 'extension', name: text(r.extname), props: { version: text(r.extversion) } }),
  },
  {
    sql: `SELECT n.nspname, c.relname, c.relkind, c.relpersistence, c.relrowsecurity,
                 CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS viewdef,
                 pg_get_expr(c.relpartbound, c.oid) AS partbound
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND ${SYSTEM_SCHEMAS} AND ${NOT_HISTORY} AND ${notFromExtension('pg_class', 'c.oid')}
            -- serial and identity sequences come and go with their column
            AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')))
          ORDER BY 1, 2`,
    read: (r) => {
      const props: Record<string, string> = {};
      if (r.relkind === 'p') props.partitioned = 'yes';
      if (r.relpersistence === 'u') props.unlogged = 'yes';
      if (flag(r.relrowsecurity)) props['row level security'] = 'enabled';
      if (r.viewdef) props.definition = text(r.viewdef).trim();
      if (r.partbound) props['partition of'] = text(r.partbound);
      return { kind: RELKIND[text(r.relkind)], name: qualify(r.nspname, r.relname), props };
    },
  },
  {
    sql: `SELECT n.nspname, c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
                 pg_get_expr(ad.adbin, ad.adrelid) AS def, a.attidentity, a.attgenerated
          FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
          WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f') AND ${SYSTEM_SCHEMAS} AND ${NOT_HISTORY}
            AND ${notFromExtension('pg_class', 'c.oid')}
          ORDER BY 1, 2, a.attnum`,
    read: (r) => {
      const table = qualify(r.nspname, r.relname);
      const props: Record<string, string> = { type: text(r.type) };
      if (flag(r.attnotnull)) props['NOT NULL'] = 'yes';
      if (r.attgenerated === 's') props['GENERATED ALWAYS AS'] = text(r.def);
      else if (r.def !== null && r.def !== undefined) props.DEFAULT = text(r.def);
      if (r.attidentity === 'a') props.identity = 'ALWAYS';
      else if (r.attidentity === 'd') props.identity = 'BY DEFAULT';
      return { kind: 'column', name: `${table}.${text(r.attname)}`, parent: `table ${table}`, props };
    },
  },
  {
    sql: `SELECT n.nspname, ci.relname AS index, ct.relname AS tablename, ct.relkind, pg_get_indexdef(i.indexrelid) AS def, i.indisvalid
          FROM pg_index i
          JOIN pg_class ci ON ci.oid = i.indexrelid JOIN pg_class ct ON ct.oid = i.indrelid
          JOIN pg_namespace n ON n.oid = ci.relnamespace
          WHERE ${SYSTEM_SCHEMAS} AND ${notFromExtension('pg_class', 'ci.oid')}
            -- the indexes of primary keys, unique and exclusion constraints are reported as the constraint
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
            AND NOT (n.nspname = 'public' AND ct.relname = '${HISTORY_TABLE}')
          ORDER BY 1, 2`,
    read: (r) => {
      const props: Record<string, string> = { definition: text(r.def) };
      if (!flag(r.indisvalid)) props.valid = 'no (a failed CREATE INDEX CONCURRENTLY left it INVALID)';
      return { kind: 'index', name: qualify(r.nspname, r.index), parent: `${RELKIND[text(r.relkind)]} ${qualify(r.nspname, r.tablename)}`, props };
    },
  },
  {
    // contype 'n': PostgreSQL 18 keeps NOT NULL as constraints too; they are read with the column.
    sql: `SELECT n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid) AS def
          FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE k.contype <> 'n' AND ${SYSTEM_SCHEMAS} AND ${NOT_HISTORY} AND ${notFromExtension('pg_class', 'c.oid')}
          ORDER BY 1, 2, 3`,
    read: (r) => {
      const table = qualify(r.nspname, r.relname);
      return { kind: 'constraint', name: `${table}.${text(r.conname)}`, parent: `table ${table}`, props: { definition: text(r.def) } };
    },
  },
  {
    sql: `SELECT n.nspname, c.relname, t.tgname, pg_get_triggerdef(t.oid) AS def
          FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE NOT t.tgisinternal AND ${SYSTEM_SCHEMAS} AND ${notFromExtension('pg_class', 'c.oid')}
          ORDER BY 1, 2, 3`,
    read: (r) => {
      const table = qualify(r.nspname, r.relname);
      return { kind: 'trigger', name: `${table}.${text(r.tgname)}`, parent: `table ${table}`, props: { definition: text(r.def) } };
    },
  },
  {
    sql: `SELECT n.nspname, c.relname, p.polname, p.polcmd, p.polpermissive,
                 pg_get_expr(p.polqual, p.polrelid) AS qual, pg_get_expr(p.polwithcheck, p.polrelid) AS withcheck,
                 array_to_string(ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE r::regrole::text END FROM unnest(p.polroles) AS r ORDER BY 1), ', ') AS roles
          FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE ${SYSTEM_SCHEMAS}
          ORDER BY 1, 2, 3`,
    read: (r) => {
      const table = qualify(r.nspname, r.relname);
      const props: Record<string, string> = { command: text(r.polcmd), permissive: flag(r.polpermissive) ? 'yes' : 'no', roles: text(r.roles) };
      if (r.qual) props.USING = text(r.qual);
      if (r.withcheck) props['WITH CHECK'] = text(r.withcheck);
      return { kind: 'policy', name: `${table}.${text(r.polname)}`, parent: `table ${table}`, props };
    },
  },
  {
    sql: `SELECT n.nspname, t.typname, t.typtype,
                 CASE t.typtype
                   WHEN 'e' THEN (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)
                   WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod)
                     || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
                     || coalesce(' DEFAULT ' || t.typdefault, '')
                     || coalesce((SELECT ' ' || string_agg(pg_get_constraintdef(k.oid), ' ' ORDER BY k.conname) FROM pg_constraint k WHERE k.contypid = t.oid), '')
                   WHEN 'c' THEN (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                                  FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)
                   WHEN 'r' THEN (SELECT format_type(rng.rngsubtype, NULL) FROM pg_range rng WHERE rng.rngtypid = t.oid)
                 END AS def
          FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE ${SYSTEM_SCHEMAS} AND ${notFromExtension('pg_type', 't.oid')}
            AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))
          ORDER BY 1, 2`,
    read: (r) => {
      const kind = { e: 'ENUM', d: 'DOMAIN', c: 'composite', r: 'RANGE' }[text(r.typtype)] ?? text(r.typtype);
      return { kind: 'type', name: qualify(r.nspname, r.typname), props: { definition: `${kind} (${text(r.def)})` } };
    },
  },
  {
    sql: `SELECT n.nspname, p.proname, pg_get_function_identity_arguments(p.oid) AS args, p.prokind,
                 pg_get_function_result(p.oid) AS result,
                 CASE WHEN p.prokind IN ('f', 'p') THEN pg_get_functiondef(p.oid) ELSE p.prosrc END AS def
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE ${SYSTEM_SCHEMAS} AND ${notFromExtension('pg_proc', 'p.oid')}
          ORDER BY 1, 2, 3`,
    read: (r) => {
      const props: Record<string, string> = { kind: { f: 'function', p: 'procedure', a: 'aggregate', w: 'window function' }[text(r.prokind)] ?? text(r.prokind) };
      if (r.result) props.returns = text(r.result);
      // The body is compared, not shown: a hash of the whole definition.
      props.body = createHash('sha256').update(text(r.def)).digest('hex').slice(0, 12);
      return { kind: 'function', name: `${qualify(r.nspname, r.proname)}(${text(r.args)})`, props };
    },
  },
];

/** Reads the schema of everything but the system catalogs, extension members and the history table. */
export async function snapshot(target: Target): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const reader of READERS) {
    for (const row of await target.query(reader.sql)) {
      const object = reader.read(row);
      out.set(`${object.kind} ${object.name}`, object);
    }
  }
  return out;
}

/**
 * What changed from `before` to `after`. The columns, indexes and constraints of a table that
 * was added or removed are folded into that table's line.
 */
export function diffSnapshots(before: Snapshot, after: Snapshot): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const addedOrRemoved = new Set<string>();
  for (const key of after.keys()) if (!before.has(key)) addedOrRemoved.add(key);
  for (const key of before.keys()) if (!after.has(key)) addedOrRemoved.add(key);
  const folded = (o: SchemaObject) => o.parent !== undefined && addedOrRemoved.has(o.parent);

  for (const [key, object] of after) {
    const old = before.get(key);
    if (!old) {
      if (folded(object)) continue;
      changes.push({ change: 'added', kind: object.kind, name: object.name, details: describeNew(object, key, after) });
      continue;
    }
    const details: string[] = [];
    for (const prop of new Set([...Object.keys(old.props), ...Object.keys(object.props)])) {
      const a = old.props[prop];
      const b = object.props[prop];
      if (a === b) continue;
      if (a === undefined) details.push(b === 'yes' ? `${prop} added` : `${prop} ${b} added`);
      else if (b === undefined) details.push(a === 'yes' ? `${prop} removed` : `${prop} ${a} removed`);
      else details.push(`${prop}: ${a} → ${b}`);
    }
    if (details.length > 0) changes.push({ change: 'altered', kind: object.kind, name: object.name, details });
  }
  for (const [key, object] of before) {
    if (after.has(key) || folded(object)) continue;
    changes.push({ change: 'removed', kind: object.kind, name: object.name, details: [] });
  }
  return changes.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const KIND_ORDER: ObjectKind[] = ['extension', 'schema', 'type', 'table', 'foreign table', 'column', 'constraint', 'index', 'view', 'materialized view', 'sequence', 'function', 'trigger', 'policy'];

/** The definition of a new object: a table lists its columns and constraints. */
function describeNew(object: SchemaObject, key: string, after: Snapshot): string[] {
  if (object.kind === 'table' || object.kind === 'foreign table') {
    const children = [...after.values()].filter((o) => o.parent === key);
    // Columns, constraints, triggers and policies are named `table.x`; indexes by their own name.
    const own = (o: SchemaObject) => (o.kind === 'index' ? o.name : o.name.slice(object.name.length + 1));
    const columns = children.filter((o) => o.kind === 'column').map((c) => `${own(c)} ${columnText(c.props)}`);
    const others = children.filter((o) => o.kind !== 'column').map((o) => `${o.kind} ${own(o)}${o.props.definition ? ` ${shortDefinition(o)}` : ''}`);
    return [...columns, ...others, ...propsText(object.props)];
  }
  if (object.kind === 'column') return [columnText(object.props)];
  if (object.kind === 'index' && object.props.valid) return [shortDefinition(object), 'INVALID (a failed CREATE INDEX CONCURRENTLY left it: not used by queries, yet it slows writes; running the migration again rebuilds it)'];
  if (object.kind === 'index' || object.kind === 'constraint' || object.kind === 'trigger' || object.kind === 'type') return [shortDefinition(object)];
  return propsText(object.props).filter((p) => !p.startsWith('body'));
}

function columnText(props: Record<string, string>): string {
  return [props.type, ...Object.entries(props).filter(([k]) => k !== 'type').map(([k, v]) => (v === 'yes' ? k : `${k} ${v}`))].join(' ');
}

/** An index's definition without the `CREATE INDEX name ON table` the line already says. */
function shortDefinition(object: SchemaObject): string {
  const def = object.props.definition ?? '';
  return object.kind === 'index' ? def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON /, (_m, unique: string | undefined) => (unique ? 'UNIQUE ON ' : 'ON ')) : def;
}

function propsText(props: Record<string, string>): string[] {
  return Object.entries(props).map(([k, v]) => (v === 'yes' ? k : `${k}: ${v}`));
}

/** `+ table users (id bigint NOT NULL, …)`, `~ column users.name: type text → varchar(80)`, `- index idx_x`. */
export function formatChange(change: SchemaChange): string {
  const sign = change.change === 'added' ? '+' : change.change === 'removed' ? '-' : '~';
  const head = `${sign} ${change.kind} ${change.name}`;
  if (change.details.length === 0) return head;
  if (change.change === 'altered') return `${head}: ${change.details.join('; ')}`;
  if (change.kind === 'table' || change.kind === 'foreign table') return `${head} (${change.details.join(', ')})`;
  return `${head} ${change.details.join(', ')}`;
}
