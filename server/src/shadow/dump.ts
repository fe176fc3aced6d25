/**
 * `safemig schema dump`: a database's schema as SQL the embedded database accepts, read from the
 * catalog (no pg_dump binary): the usual way to make a baseline for the shadow schema. Objects go
 * in an order that needs no dependency sort: types and sequences, tables (columns only), then the
 * functions (bodies are not checked while loading), defaults, constraints (keys before foreign
 * keys), indexes, views in creation order, triggers and policies. Names are schema-qualified
 * (the catalog is read with an empty search_path). Extension members are left to their extension.
 */
import type { Target } from '../database/target';

export interface DumpOptions {
  /** Only these schemas; default: every schema but the system ones. */
  schemas?: string[];
}

type Row = Record<string, unknown>;
const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export async function dumpSchema(target: Target, options: DumpOptions = {}): Promise<string> {
  await target.run("SELECT pg_catalog.set_config('search_path', '', false)");
  const wanted = options.schemas && options.schemas.length > 0 ? options.schemas : undefined;
  const params = wanted ? [wanted] : [];
  // $1: the schemas asked for; without it, every user schema.
  const inSchema = (column: string) =>
    `${column} IN (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'${wanted ? ' AND n.nspname = ANY($1)' : ''})`;
  const notFromExtension = (catalog: string, oid: string) =>
    `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = '${catalog}'::pg_catalog.regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
  const rows = (sql: string) => target.query<Row>(sql, sql.includes('$1') ? params : []);
  const out: string[] = [
    `-- The schema of ${target.describe()}, written by safemig schema dump: a baseline for the shadow schema.`,
    'SET check_function_bodies = false;',
    '',
  ];
  const section = (title: string, lines: string[]) => {
    if (lines.length > 0) out.push(`-- ${title}`, ...lines, '');
  };

  section('Schemas', (await rows(`SELECT pg_catalog.quote_ident(n.nspname) AS name FROM pg_catalog.pg_namespace n WHERE ${inSchema('n.oid')} AND n.nspname <> 'public' AND ${notFromExtension('pg_namespace', 'n.oid')} ORDER BY 1`))
    .map((r) => `CREATE SCHEMA IF NOT EXISTS ${text(r.name)};`));

  section('Extensions', (await rows(`SELECT pg_catalog.quote_ident(e.extname) AS name, pg_catalog.quote_ident(n.nspname) AS schema FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY e.oid`))
    .map((r) => `CREATE EXTENSION IF NOT EXISTS ${text(r.name)} WITH SCHEMA ${text(r.schema)};`));

  const typeName = `pg_catalog.format_type(t.oid, NULL)`;
  section('Types', [
    ...(await rows(`SELECT ${typeName} AS name, (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) AS labels
                    FROM pg_catalog.pg_type t WHERE t.typtype = 'e' AND ${inSchema('t.typnamespace')} AND ${notFromExtension('pg_type', 't.oid')} ORDER BY t.oid`))
      .map((r) => `CREATE TYPE ${text(r.name)} AS ENUM (${text(r.labels)});`),
    ...(await rows(`SELECT ${typeName} AS name, pg_catalog.format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull, t.typdefault,
                           (SELECT pg_catalog.string_agg(' CONSTRAINT ' || pg_catalog.quote_ident(k.conname) || ' ' || pg_catalog.pg_get_constraintdef(k.oid), '' ORDER BY k.conname) FROM pg_catalog.pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c') AS checks
                    FROM pg_catalog.pg_type t WHERE t.typtype = 'd' AND ${inSchema('t.typnamespace')} AND ${notFromExtension('pg_type', 't.oid')} ORDER BY t.oid`))
      .map((r) => `CREATE DOMAIN ${text(r.name)} AS ${text(r.base)}${r.typnotnull === true ? ' NOT NULL' : ''}${r.typdefault ? ` DEFAULT ${text(r.typdefault)}` : ''}${text(r.checks)};`),
    ...(await rows(`SELECT ${typeName} AS name, (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) AS fields
                    FROM pg_catalog.pg_type t JOIN pg_catalog.pg_class c ON c.oid = t.typrelid WHERE t.typtype = 'c' AND c.relkind = 'c' AND ${inSchema('t.typnamespace')} AND ${notFromExtension('pg_type', 't.oid')} ORDER BY t.oid`))
      .map((r) => `CREATE TYPE ${text(r.name)} AS (${text(r.fields)});`),
    ...(await rows(`SELECT ${typeName} AS name, pg_catalog.format_type(r.rngsubtype, NULL) AS subtype FROM pg_catalog.pg_type t JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid WHERE ${inSchema('t.typnamespace')} AND ${notFromExtension('pg_type', 't.oid')} ORDER BY t.oid`))
      .map((r) => `CREATE TYPE ${text(r.name)} AS RANGE (SUBTYPE = ${text(r.subtype)});`),
  ]);

  const relation = `pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)`;
  const ownedByColumn = `EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.refobjsubid > 0 AND d.deptype = 'i')`;
  section('Sequences', (await rows(`SELECT ${relation} AS name, pg_catalog.format_type(s.seqtypid, NULL) AS type, s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, s.seqcycle
                                    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
                                    WHERE c.relkind = 'S' AND ${inSchema('c.relnamespace')} AND NOT ${ownedByColumn} AND ${notFromExtension('pg_class', 'c.oid')} ORDER BY c.oid`))
    .map((r) => `CREATE SEQUENCE ${text(r.name)} AS ${text(r.type)} INCREMENT BY ${text(r.seqincrement)} MINVALUE ${text(r.seqmin)} MAXVALUE ${text(r.seqmax)} START WITH ${text(r.seqstart)} CACHE ${text(r.seqcache)}${r.seqcycle === true ? ' CYCLE' : ''};`));

  const tables = await rows(`SELECT c.oid, ${relation} AS name, c.relkind, c.relpersistence, c.relispartition, c.relrowsecurity, c.relforcerowsecurity,
                                    CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partkey,
                                    CASE WHEN c.relispartition THEN (SELECT pg_catalog.quote_ident(pn.nspname) || '.' || pg_catalog.quote_ident(p.relname) FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class p ON p.oid = i.inhparent JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid) END AS parent,
                                    pg_catalog.pg_get_expr(c.relpartbound, c.oid) AS bound,
                                    (SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
                                              || CASE WHEN a.attgenerated = 's' THEN ' GENERATED ALWAYS AS (' || pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) || ') STORED' ELSE '' END
                                              || CASE a.attidentity WHEN 'a' THEN ' GENERATED ALWAYS AS IDENTITY' WHEN 'd' THEN ' GENERATED BY DEFAULT AS IDENTITY' ELSE '' END
                                              || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END, E',\\n  ' ORDER BY a.attnum)
                                       FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                                       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND (NOT c.relispartition OR a.attislocal)) AS columns
                             FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                             WHERE c.relkind IN ('r', 'p') AND ${inSchema('c.relnamespace')} AND ${notFromExtension('pg_class', 'c.oid')}
                             ORDER BY c.relispartition, c.oid`);
  section('Tables', tables.map((r) => {
    const unlogged = r.relpersistence === 'u' ? 'UNLOGGED ' : '';
    const partitioned = r.partkey ? ` PARTITION BY ${text(r.partkey)}` : '';
    if (r.parent) return `CREATE ${unlogged}TABLE ${text(r.name)} PARTITION OF ${text(r.parent)} ${text(r.bound)}${partitioned};`;
    return `CREATE ${unlogged}TABLE ${text(r.name)} (\n  ${text(r.columns)}\n)${partitioned};`;
  }));

  section('Functions', (await rows(`SELECT pg_catalog.pg_get_functiondef(p.oid) AS def FROM pg_catalog.pg_proc p WHERE p.prokind IN ('f', 'p') AND ${inSchema('p.pronamespace')} AND ${notFromExtension('pg_proc', 'p.oid')} ORDER BY p.oid`))
    .map((r) => `${text(r.def).trim()};`));

  const onTable = `JOIN pg_catalog.pg_class c ON c.oid = x.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace`;
  section('Defaults', (await rows(`SELECT ${relation} AS tablename, pg_catalog.quote_ident(a.attname) AS col, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS def
                                   FROM pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
                                   JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                                   WHERE a.attgenerated = '' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND ${inSchema('c.relnamespace')} AND ${notFromExtension('pg_class', 'c.oid')}
                                   ORDER BY c.oid, a.attnum`))
    .map((r) => `ALTER TABLE ${text(r.tablename)} ALTER COLUMN ${text(r.col)} SET DEFAULT ${text(r.def)};`));

  section('Sequences owned by columns', (await rows(`SELECT ${relation} AS name, pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(t.relname) || '.' || pg_catalog.quote_ident(a.attname) AS owner
                                                     FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                                                     JOIN pg_catalog.pg_depend d ON d.classid = 'pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'a' AND d.refobjsubid > 0
                                                     JOIN pg_catalog.pg_class t ON t.oid = d.refobjid JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
                                                     JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                                                     WHERE c.relkind = 'S' AND ${inSchema('c.relnamespace')} ORDER BY c.oid`))
    .map((r) => `ALTER SEQUENCE ${text(r.name)} OWNED BY ${text(r.owner)};`));

  // Keys first: a foreign key needs the key it references. Constraints a partition inherits come with it.
  section('Constraints', (await rows(`SELECT ${relation} AS tablename, pg_catalog.quote_ident(x.conname) AS name, pg_catalog.pg_get_constraintdef(x.oid) AS def
                                      FROM pg_catalog.pg_constraint x ${onTable}
                                      WHERE x.contype IN ('p', 'u', 'x', 'c', 'f') AND x.conparentid = 0 AND NOT (x.contype = 'c' AND x.coninhcount > 0) AND ${inSchema('c.relnamespace')} AND ${notFromExtension('pg_class', 'c.oid')}
                                      ORDER BY CASE x.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2 WHEN 'c' THEN 3 ELSE 4 END, c.oid, x.conname`))
    .map((r) => `ALTER TABLE ${text(r.tablename)} ADD CONSTRAINT ${text(r.name)} ${text(r.def)};`));

  section('Indexes', (await rows(`SELECT pg_catalog.pg_get_indexdef(i.indexrelid) AS def FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ci ON ci.oid = i.indexrelid
                                  WHERE ${inSchema('ci.relnamespace')} AND ${notFromExtension('pg_class', 'ci.oid')}
                                    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))
                                    AND NOT ci.relispartition
                                  ORDER BY ci.oid`))
    // A partitioned table's index is written `ON ONLY`, for pg_dump to attach the partitions' indexes; here it builds them.
    .map((r) => `${text(r.def).replace(/ ON ONLY /, ' ON ')};`));

  section('Views', (await rows(`SELECT ${relation} AS name, c.relkind, pg_catalog.pg_get_viewdef(c.oid) AS def FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                                WHERE c.relkind IN ('v', 'm') AND ${inSchema('c.relnamespace')} AND ${notFromExtension('pg_class', 'c.oid')} ORDER BY c.oid`))
    .map((r) => (r.relkind === 'm' ? `CREATE MATERIALIZED VIEW ${text(r.name)} AS\n${text(r.def).trim().replace(/;$/, '')}\nWITH NO DATA;` : `CREATE VIEW ${text(r.name)} AS\n${text(r.def).trim().replace(/;$/, '')};`)));

  section('Triggers', (await rows(`SELECT pg_catalog.pg_get_triggerdef(t.oid) AS def FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
                                   WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND ${inSchema('c.relnamespace')} AND ${notFromExtension('pg_class', 'c.oid')} ORDER BY t.oid`))
    .map((r) => `${text(r.def)};`));

  section('Row level security', [
    ...tables.filter((r) => r.relrowsecurity === true).map((r) => `ALTER TABLE ${text(r.name)} ENABLE ROW LEVEL SECURITY;`),
    ...tables.filter((r) => r.relforcerowsecurity === true).map((r) => `ALTER TABLE ${text(r.name)} FORCE ROW LEVEL SECURITY;`),
    ...(await rows(`SELECT ${relation} AS tablename, pg_catalog.quote_ident(p.polname) AS name, p.polpermissive, p.polcmd,
                           pg_catalog.array_to_string(ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(r::pg_catalog.regrole::text) END FROM pg_catalog.unnest(p.polroles) AS r ORDER BY 1), ', ') AS roles,
                           pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS qual, pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS withcheck
                    FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    WHERE ${inSchema('c.relnamespace')} ORDER BY c.oid, p.polname`))
      .map((r) => {
        const command = { r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE', '*': 'ALL' }[text(r.polcmd)] ?? 'ALL';
        return `CREATE POLICY ${text(r.name)} ON ${text(r.tablename)} AS ${r.polpermissive === false ? 'RESTRICTIVE' : 'PERMISSIVE'} FOR ${command} TO ${text(r.roles)}${r.qual ? ` USING (${text(r.qual)})` : ''}${r.withcheck ? ` WITH CHECK (${text(r.withcheck)})` : ''};`;
      }),
  ]);
  return `${out.join('\n').trimEnd()}\n`;
}
