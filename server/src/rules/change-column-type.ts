import type { TypeName } from 'libpg-query';
import { names, nodeOf, tableKey } from '../sql/ast';
import { upAlterActions } from './helpers/alter';
import { typeBefore } from './helpers/history';
import type { Rule } from './rule';

const HELP = 'Free: widening a varchar or numeric, varchar ↔ text, dropping a length or precision limit, the same type again; otherwise add a new column, backfill, and switch readers.';

export const changeColumnType: Rule = {
  id: 'change-column-type',
  defaultSeverity: 'warning',
  description: 'ALTER COLUMN … TYPE on an existing table rewrites it under an ACCESS EXCLUSIVE lock and can break old readers.',
  messages: {
    knownType: 'Changing the type of {{column}} from {{from}} to {{to}} rewrites the table under an ACCESS EXCLUSIVE lock and can break code that reads the old type.',
    typeFromFile: 'Changing the type of {{column}} from {{from}} (as {{file}} left it) to {{to}} rewrites the table under an ACCESS EXCLUSIVE lock and can break code that reads the old type.',
    unknownType: 'Changing the type of {{column}} to {{to}} can rewrite the table under an ACCESS EXCLUSIVE lock and can break code that reads the old type.',
  },
  help: { knownType: HELP, typeFromFile: HELP, unknownType: HELP },
  check(context) {
    // Types the columns had earlier in this migration, to recognise safe widenings.
    const known = new Map<string, TypeName>();
    for (const action of upAlterActions(context, false)) {
      const table = tableKey(action.alter.relation);
      const def = nodeOf(action.cmd.def, 'ColumnDef');
      const name = action.cmd.name ?? def?.colname ?? '';
      if (action.cmd.subtype === 'AT_AddColumn' && def?.typeName) known.set(`${table}.${name}`, def.typeName);
      if (action.cmd.subtype !== 'AT_AlterColumnType' || !def?.typeName) continue;
      const inThisMigration = known.get(`${table}.${name}`);
      known.set(`${table}.${name}`, def.typeName);
      if (!context.facts.isExisting(action.alter.relation)) continue;
      // Else the type the schema before the migration has (the shadow), else the one the folder's earlier migrations gave it.
      const inSchema = inThisMigration ? undefined : context.facts.columnBefore(action.alter.relation, name)?.type;
      const earlier = inThisMigration || inSchema ? undefined : typeBefore(context.migration, context.fs, context.config, table, name);
      const before = inThisMigration ?? inSchema ?? earlier?.type;
      // A USING expression or a new collation rewrites (or reindexes) whatever the types are.
      if (before && !def.raw_default && !def.collClause && isFreeChange(before, def.typeName)) continue;
      context.report({
        statement: action.statement,
        start: action.start,
        end: action.end,
        messageId: !before ? 'unknownType' : earlier ? 'typeFromFile' : 'knownType',
        data: { column: `${table}.${name}`, from: before ? typeText(before) : '', file: earlier?.file ?? '', to: typeText(def.typeName) },
      });
    }
  },
};

function baseName(type: TypeName): string {
  const parts = names(type.names);
  return parts[parts.length - 1] ?? '';
}

function mods(type: TypeName): number[] {
  // The parse tree leaves out a zero: `numeric(10,0)` has an `ival` without a value.
  return (type.typmods ?? []).map((m) => {
    const constant = nodeOf(m, 'A_Const');
    return constant?.ival ? (constant.ival.ival ?? 0) : NaN;
  });
}

/** Temporal types whose precision PostgreSQL widens or drops without a rewrite (its TemporalSimplify). */
const TEMPORAL = new Set(['timestamp', 'timestamptz', 'time', 'timetz']);
/** Their largest precision, which stores what no precision stores. */
const MAX_TEMPORAL_PRECISION = 6;

/**
 * The changes PostgreSQL makes without rewriting the table or rebuilding its indexes (ALTER
 * TABLE's test: a binary-coercible cast, or a length coercion its support function proves a
 * no-op) and that old readers still understand: RULES.md's "free" changes, of which its list
 * (varchar widening, varchar → text, numeric widening, dropping a length limit) gives examples;
 * the same type again, a temporal precision widened or dropped, cidr → inet are free too.
 * test/rules/change-column-type-verdicts.test.ts holds each verdict against PostgreSQL (PGlite).
 */
export function isFreeChange(from: TypeName, to: TypeName): boolean {
  const a = baseName(from);
  const b = baseName(to);
  const arrays = from.arrayBounds?.length ?? 0;
  if (arrays !== (to.arrayBounds?.length ?? 0)) return false;
  const [n] = mods(from);
  const [m] = mods(to);
  const widened = to.typmods === undefined || (from.typmods !== undefined && m >= n);
  // An array is converted element by element: its indexes are rebuilt, even for the same type.
  if (arrays > 0) return false;
  if (typeKey(from) === typeKey(to) && mods(from).join() === mods(to).join()) return true;
  if (a === 'varchar' && b === 'varchar') return widened;
  if (a === 'varchar' && b === 'text') return true;
  if (a === 'text' && b === 'varchar') return to.typmods === undefined;
  if (a === 'numeric' && b === 'numeric') {
    if (to.typmods === undefined) return true;
    const [p, s = 0] = mods(from);
    const [q, t = 0] = mods(to);
    return from.typmods !== undefined && q >= p && s === t;
  }
  if (TEMPORAL.has(a) && a === b) return widened || m === MAX_TEMPORAL_PRECISION;
  // An interval's modifiers hold its fields too: only dropping them all is free.
  if (a === 'interval' && b === 'interval') return to.typmods === undefined;
  if (a === 'varbit' && b === 'varbit') return widened;
  if (a === 'cidr' && b === 'inet') return true;
  return false;
}

/** A type's name, without the `pg_catalog` the parser adds to built-in types. */
function typeKey(type: TypeName): string {
  return names(type.names).filter((part) => part !== 'pg_catalog').join('.');
}

/** The SQL names of the types the parser spells by their internal names. */
const SQL_NAMES: Record<string, string> = {
  int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision', bool: 'boolean', bpchar: 'char',
};

function typeText(type: TypeName): string {
  const base = SQL_NAMES[baseName(type)] ?? baseName(type);
  const m = mods(type);
  return `${m.length > 0 ? `${base}(${m.join(',')})` : base}${'[]'.repeat(type.arrayBounds?.length ?? 0)}`;
}
