import type { TypeName } from 'libpg-query';
import { names, nodeOf, tableKey } from '../sql/ast';
import { upAlterActions } from './helpers/alter';
import { typeBefore } from './helpers/history';
import type { Rule } from './rule';

const HELP = 'Only varchar(n) → varchar(m ≥ n), varchar → text, numeric(p,s) → numeric(q ≥ p,s) and dropping a length limit are free; otherwise add a new column, backfill, and switch readers.';

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
      // Else the type the folder's earlier migrations gave it.
      const earlier = inThisMigration ? undefined : typeBefore(context.migration, context.fs, context.config, table, name);
      const before = inThisMigration ?? earlier?.type;
      // A USING expression or a new collation rewrites (or reindexes) whatever the types are.
      if (before && !def.raw_default && !def.collClause && isSafeChange(before, def.typeName)) continue;
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
  return (type.typmods ?? []).map((m) => nodeOf(m, 'A_Const')?.ival?.ival ?? NaN);
}

/** Changes PostgreSQL makes without a rewrite and that old readers still understand. */
export function isSafeChange(from: TypeName, to: TypeName): boolean {
  const a = baseName(from);
  const b = baseName(to);
  if ((from.arrayBounds?.length ?? 0) !== (to.arrayBounds?.length ?? 0)) return false;
  const [n] = mods(from);
  const [m] = mods(to);
  if (a === 'varchar' && b === 'varchar') return to.typmods === undefined || (from.typmods !== undefined && m >= n);
  if (a === 'varchar' && b === 'text') return true;
  if (a === 'numeric' && b === 'numeric') {
    if (to.typmods === undefined) return true;
    const [p, s = 0] = mods(from);
    const [q, t = 0] = mods(to);
    return from.typmods !== undefined && q >= p && s === t;
  }
  return false;
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
