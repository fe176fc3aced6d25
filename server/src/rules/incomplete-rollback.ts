import type { Node, RangeVar } from 'libpg-query';
import type { Migration, Statement } from '../migration/migration';
import { Inverse, inversesOf, undoneEffects } from '../migration/inverse';
import { splitPath } from '../migration/names';
import { alterActions, names, nodeOf, tableKey, treeOf, walkTree } from '../sql/ast';
import { LineIndex } from '../sql/positions';
import type { Fix, Rule } from './rule';

/** Effects RULES.md asks a rollback to undo: created objects and renames (not data, defaults or NOT NULL). */
const CHECKED = /^(table|matview|view|column|index|constraint|type|sequence|function|procedure|trigger|extension|schema|rename-[a-z-]+):/;

/** Objects that DROP … CASCADE removes with what they depend on. */
const CASCADED = /^(view|matview|constraint):/;

/** Objects that live on a table and go with it when the table is dropped. */
const ON_TABLE = /^(column|index|constraint|trigger):/;

/** One UP effect the DOWN part does not undo. */
interface Missing {
  statement: Statement;
  inverse: Inverse & { sql: string; effect: string };
  /** CREATE OR REPLACE: the object may have existed before, so its DROP is not a safe inverse. */
  replaces: boolean;
  start: number;
  end: number;
}

/** Where the DOWN statements are, and where new ones go. */
interface DownPart {
  path: string;
  text: string;
  statements: Statement[];
  /** Offset where appended statements go: the end of the part, or before its closing COMMIT. */
  insertAt: number;
  commentedOut: boolean;
}

/**
 * Each UP effect with a mechanical inverse (`inversesOf`) must be undone by the DOWN part, in
 * whichever place the convention keeps it: a DOWN section (also written as comments), the
 * `.down.sql` / `down.sql` / `U…` / `rollback_…` / `revert/` twin. Dropping a table undoes its
 * columns, indexes, constraints and triggers; `DROP SCHEMA … CASCADE` everything in it. A missing
 * DOWN part is missing-rollback's finding, not this one.
 */
export const incompleteRollback: Rule = {
  id: 'incomplete-rollback',
  defaultSeverity: 'warning',
  description: 'An UP statement whose effect (created object, rename) the DOWN part does not undo.',
  messages: {
    notUndone: 'The rollback ({{where}}) does not undo this: it needs {{sql}} Without it, rolling back leaves this change in the database, and applying the migration again fails.',
    replacementNotUndone:
      'The rollback ({{where}}) does not undo this CREATE OR REPLACE of {{object}}: it neither drops it (if this migration created it) nor restores its previous definition (if it replaced one).',
  },
  fixable: true,
  check({ migration, facts, report }) {
    const { role } = migration.convention;
    if (role !== 'migration' && role !== 'up') return;
    const down = downPartOf(migration);
    // A DOWN statement PostgreSQL cannot parse may be the very inverse: no verdict then.
    if (!down || down.statements.some((s) => s.kind === '')) return;
    const missing = missingInverses(migration, down.statements, facts.createdTables);
    if (missing.length === 0) return;

    // One finding per UP statement clause; "append all" covers every missing inverse that is safe to append.
    const groups = new Map<string, Missing[]>();
    for (const m of missing) {
      const key = `${m.start}:${m.end}`;
      groups.set(key, [...(groups.get(key) ?? []), m]);
    }
    const where = down.path === migration.path ? 'the DOWN part' : splitPath(down.path).base;
    const appendable = missing.filter((m) => !m.replaces);
    const all = appendable.length > 1 ? appendFix(down, migration, appendable, `Append all ${appendable.length} missing rollback statements to ${where}`) : undefined;
    for (const group of groups.values()) {
      const replaced = group.filter((m) => m.replaces);
      if (replaced.length > 0) {
        const object = replaced[0].inverse.sql.replace(/^DROP (\w+(?: VIEW)?) IF EXISTS /, '$1 ').replace(/;$/, '');
        report({
          statement: group[0].statement,
          start: group[0].start,
          end: group[0].end,
          messageId: 'replacementNotUndone',
          data: { where, object },
        });
        continue;
      }
      const sql = group.map((m) => m.inverse.sql);
      report({
        statement: group[0].statement,
        start: group[0].start,
        end: group[0].end,
        messageId: 'notUndone',
        data: { where, sql: sql.join(' ') },
        fixes: () => [appendFix(down, migration, group, `Append ${sql.length === 1 ? sql[0] : `${sql.length} statements`} to ${where}`), ...(all ? [all] : [])],
      });
    }
  },
};

function downPartOf(migration: Migration): DownPart | undefined {
  const section = migration.parts.filter((p) => p.kind === 'down').pop();
  if (section) {
    if (migration.down.length === 0) return undefined;
    return { path: migration.path, text: migration.text, statements: migration.down, insertAt: insertionPoint(migration.down, section.end, migration.text), commentedOut: section.commentedOut };
  }
  const twin = migration.convention.twin ? migration.twin() : undefined;
  const statements = twin?.statements.filter((s) => s.part.kind === 'down') ?? [];
  if (!twin || statements.length === 0) return undefined;
  const part = statements[statements.length - 1].part;
  return { path: twin.path, text: twin.text, statements, insertAt: insertionPoint(statements, part.end, twin.text), commentedOut: part.commentedOut };
}

/** Before a closing `COMMIT` (so the new statements stay in the transaction), else at the end of the part. */
function insertionPoint(statements: Statement[], partEnd: number, text: string): number {
  const last = statements[statements.length - 1];
  const kind = treeOf(last, 'TransactionStmt')?.kind;
  return last && kind === 'TRANS_STMT_COMMIT' ? lineInsertionPoint(text, last.start) : partEnd;
}

function missingInverses(migration: Migration, downStatements: Statement[], createdTables: ReadonlySet<string>): Missing[] {
  const undone = new Set(downStatements.flatMap(undoneEffects));
  const droppedTables = new Set([...undone].filter((e) => e.startsWith('table:')).map((e) => e.slice('table:'.length)));
  const droppedSchemas = [...undone].filter((e) => e.startsWith('dropped-schema:')).map((e) => e.slice('dropped-schema:'.length));
  const inDroppedSchema = (key: string) => droppedSchemas.some((s) => key.startsWith(`${s}.`));
  // DROP … CASCADE also drops the views and foreign keys that depend on what it drops: which ones is not in the SQL.
  const cascades = downStatements.some((d) => treeOf(d, 'DropStmt')?.behavior === 'DROP_CASCADE');
  // A table this migration creates and the rollback never drops: its DROP TABLE is the finding,
  // and it takes the table's indexes, columns and constraints with it.
  const tableDropMissing = (table: string) => createdTables.has(table) && !undone.has(`table:${table}`);
  const out: Missing[] = [];
  const up = migration.up;
  const upInverses = up.map((statement) => inversesOf(statement, migration.text));
  const addedColumns = new Set(upInverses.flatMap((list) => list.map((v) => v.effect ?? '').filter((e) => e.startsWith('column:'))));
  // Where the UP part itself undoes each effect: its first and last statement index.
  const undoneInUpAt = new Map<string, { first: number; last: number }>();
  up.forEach((statement, j) => {
    for (const effect of undoneEffects(statement)) {
      const at = undoneInUpAt.get(effect);
      if (at) at.last = j;
      else undoneInUpAt.set(effect, { first: j, last: j });
    }
  });
  up.forEach((statement, i) => {
    const inverses = upInverses[i].filter((v): v is Missing['inverse'] => !!v.sql && !!v.effect && CHECKED.test(v.effect));
    if (inverses.length === 0) return;
    const table = tableOf(statement);
    const replaces = isOrReplace(statement);
    for (const inverse of inverses) {
      const { effect } = inverse;
      const inUp = undoneInUpAt.get(effect);
      // Dropped earlier in the UP part, so this re-creates an object that existed before: the
      // rollback restores its old definition, which is not a mechanical inverse.
      const droppedBefore = inUp !== undefined && inUp.first < i;
      // Undone later in the UP part itself (a helper table dropped at the end): nothing to roll back.
      const undoneLater = inUp !== undefined && inUp.last > i;
      if (undone.has(effect) || undoneLater || droppedBefore) continue;
      if (replaces && undone.has(`replaced:${effect}`)) continue;
      if (table && ON_TABLE.test(effect) && (droppedTables.has(table) || inDroppedSchema(table) || tableDropMissing(table))) continue;
      // Dropping a column drops the indexes and constraints that involve it (also a column this
      // migration adds and the rollback does not drop yet: that DROP COLUMN is the finding).
      if (table && (effect.startsWith('index:') || effect.startsWith('constraint:'))) {
        const involved = columnsOf(statement, effect).map((c) => `column:${table}.${c}`);
        if (involved.some((c) => undone.has(c) || addedColumns.has(c))) continue;
      }
      if (inDroppedSchema(effect.slice(effect.indexOf(':') + 1))) continue;
      if (cascades && CASCADED.test(effect)) continue;
      out.push({ statement, inverse, replaces, ...clauseOf(statement, effect) });
    }
  });
  return out;
}

/** The columns an index (or the constraint of an ALTER TABLE action) involves: keys, expressions, predicate. */
function columnsOf(statement: Statement, effect: string): string[] {
  const alter = treeOf(statement, 'AlterTableStmt');
  const constraint = alter?.cmds?.map((c) => nodeOf(nodeOf(c, 'AlterTableCmd')?.def, 'Constraint')).find((c) => c && effect === `constraint:${c.conname}`);
  const root: unknown = alter ? constraint : treeOf(statement, 'IndexStmt');
  const out = new Set<string>();
  walkTree(root, (record) => {
    const element = record.IndexElem as { name?: string } | undefined;
    if (element?.name) out.add(element.name);
    const ref = record.ColumnRef as { fields?: Node[] } | undefined;
    if (ref) names(ref.fields).slice(-1).forEach((c) => out.add(c));
    for (const key of ['keys', 'fk_attrs', 'including']) if (Array.isArray(record[key])) names(record[key] as Node[]).forEach((c) => out.add(c));
  });
  return [...out];
}

/** The table an index, trigger or ALTER TABLE statement works on. */
function tableOf(statement: Statement): string | undefined {
  const relation: RangeVar | undefined = treeOf(statement, 'IndexStmt')?.relation ?? treeOf(statement, 'CreateTrigStmt')?.relation ?? treeOf(statement, 'AlterTableStmt')?.relation;
  return relation ? tableKey(relation) : undefined;
}

function isOrReplace(statement: Statement): boolean {
  return !!(treeOf(statement, 'CreateFunctionStmt')?.replace || treeOf(statement, 'ViewStmt')?.replace || treeOf(statement, 'CreateTrigStmt')?.replace);
}

/** The ALTER TABLE clause that has the effect (ADD COLUMN c, ADD CONSTRAINT n), else the statement. */
function clauseOf(statement: Statement, effect: string): { start: number; end: number } {
  const alter = treeOf(statement, 'AlterTableStmt');
  if (alter) {
    const cmds = (alter.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd') ?? {});
    for (const action of alterActions(statement, cmds, alter.relation?.location)) {
      const { cmd } = action;
      const column = nodeOf(cmd.def, 'ColumnDef')?.colname;
      const constraint = nodeOf(cmd.def, 'Constraint')?.conname;
      if (cmd.subtype === 'AT_AddColumn' && effect.startsWith('column:') && effect.endsWith(`.${column}`)) return action;
      if (cmd.subtype === 'AT_AddConstraint' && effect === `constraint:${constraint}`) return action;
    }
  }
  return { start: statement.start, end: statement.end };
}

/**
 * Adds the inverses to the DOWN part in rollback order: each goes before the first DOWN statement
 * that undoes an earlier UP statement (which must run after it), else at the end of the part
 * (before a closing COMMIT). Commented-out DOWN parts get commented-out lines.
 */
function appendFix(down: DownPart, migration: Migration, missing: Missing[], title: string): Fix {
  const { text } = down;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const upIndex = new Map(migration.up.map((s, i) => [s, i]));
  const undoes = upEffectIndex(migration);
  const ordered = [...missing].sort((a, b) => b.statement.start - a.statement.start || b.start - a.start);
  const byOffset = new Map<number, string[]>();
  for (const m of ordered) {
    const k = upIndex.get(m.statement) ?? 0;
    const before = down.statements.find((d) => undoneEffects(d).some((e) => (undoes.get(e) ?? Infinity) < k));
    const at = before ? lineInsertionPoint(text, before.start) : down.insertAt;
    byOffset.set(at, [...(byOffset.get(at) ?? []), down.commentedOut ? `-- ${m.inverse.sql}` : m.inverse.sql]);
  }
  const lines = down.path === migration.path ? migration.lines : new LineIndex(text);
  const edits = [...byOffset.entries()].map(([offset, sql]) => {
    const at = lines.positionAt(offset);
    const atLineStart = offset === 0 || text[offset - 1] === '\n';
    return { path: down.path, range: { start: at, end: at }, newText: (atLineStart ? '' : eol) + sql.join(eol) + eol };
  });
  return { title, preferred: missing.length === 1, edits };
}

/** Each UP effect key → the index of the UP statement that has it. */
function upEffectIndex(migration: Migration): Map<string, number> {
  const out = new Map<string, number>();
  migration.up.forEach((statement, i) => {
    for (const inverse of inversesOf(statement, migration.text)) if (inverse.effect && !out.has(inverse.effect)) out.set(inverse.effect, i);
  });
  return out;
}

/**
 * Where to insert whole lines before a DOWN statement: its line's start (above a goose
 * StatementBegin that opens it), or the statement itself when other SQL precedes it on its line.
 */
function lineInsertionPoint(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  // Commented-out DOWN parts: the statement follows `-- ` on its line.
  if (before.trim() !== '' && !/^\s*--\s*$/.test(before)) return offset;
  const previous = text.lastIndexOf('\n', lineStart - 2) + 1;
  if (lineStart > 0 && /^[ \t]*--\s*\+goose\s+StatementBegin/i.test(text.slice(previous, lineStart))) return previous;
  return lineStart;
}
