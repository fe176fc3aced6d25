/**
 * What the earlier migrations of a folder say about the schema: the type a column was given
 * before this migration, how a function was declared, which table a foreign key references. Read
 * newest first, and only the statements that name what is looked up, so a lookup parses a few
 * statements (see FolderHistory).
 */
import type { Node, RangeVar, TypeName } from 'libpg-query';
import { functionVolatility, Volatility } from '../../analysis/volatility';
import type { Config } from '../../config/config';
import { Migration, readMigration } from '../../migration/migration';
import type { FileSystem } from '../../migration/model';
import { isNamedByFolder, splitPath } from '../../migration/names';
import { keyOfNames, names, nodeOf, tableKey, treeOf } from '../../sql/ast';
import { parseChunk, splitSql, SqlChunk, SqlStatement } from '../../sql/parse';
import type { FolderMigration } from '../../migration/folder';
import { ownFolderMigration } from './folder-index';

export interface EarlierType {
  type: TypeName;
  /** The migration that gave the column this type, as people name it (`003_x.sql`, `<version>_<name>/up.sql`). */
  file: string;
}

/**
 * The type of `table.column` (keys as `tableKey` makes them) when `migration` runs, as the
 * migrations before it in its folder left it; undefined when none of them says (the table comes
 * from elsewhere, or from several tables at once: `LIKE a, LIKE b`).
 */
export function typeBefore(migration: Migration, fs: FileSystem, config: Config, table: string, column: string): EarlierType | undefined {
  const found = ownFolderMigration(migration, fs);
  if (!found) return undefined;
  const folder = historyOf(found.all, fs, config);
  let wanted = { table, column };
  for (let i = found.all.indexOf(found.own) - 1; i >= 0; i--) {
    if (found.all[i].repeatable || !folder.names(i, wanted.table)) continue;
    // After a rename the file is read again, before the rename, for the old name.
    let before = Infinity;
    rename: for (;;) {
      const statements = folder.statementsNaming(i, wanted).filter((s) => s.start < before);
      for (let k = statements.length - 1; k >= 0; k--) {
        const said = whatStatementSays(statements[k], wanted);
        if (said === undefined) continue;
        if (said === 'gone') return undefined;
        if ('type' in said) return { type: said.type, file: migrationName(folder.paths[i] ?? '') };
        wanted = said;
        before = statements[k].start;
        continue rename;
      }
      break;
    }
  }
  return undefined;
}

/**
 * The volatility a function (`keyOfNames` of its name) was declared with by the newest earlier
 * migration that creates it; undefined when none does (it comes from elsewhere) or one drops it.
 */
export function functionBefore(migration: Migration, fs: FileSystem, config: Config, key: string): Volatility | undefined {
  const found = ownFolderMigration(migration, fs);
  if (!found) return undefined;
  const folder = historyOf(found.all, fs, config);
  const name = key.slice(key.lastIndexOf('.') + 1);
  // `function [schema.]name(`, as CREATE and DROP FUNCTION write it: most files that say `now` and `function` do not.
  const named = new RegExp(`function\\s+(?:[\\w"]+\\.)?"?${name.toLowerCase().replace(/[^\w]/g, (c) => `\\${c}`)}"?\\s*\\(`);
  for (let i = found.all.indexOf(found.own) - 1; i >= 0; i--) {
    if (found.all[i].repeatable) continue;
    const said = folder.says(i, `function ${key}`, (text) => named.test(text), (statements) => {
      for (let k = statements.length - 1; k >= 0; k--) {
        const fn = treeOf(statements[k], 'CreateFunctionStmt');
        if (fn && !fn.is_procedure && keyOfNames(names(fn.funcname)) === key) return functionVolatility(fn);
        const drop = treeOf(statements[k], 'DropStmt');
        if (drop?.removeType === 'OBJECT_FUNCTION' && (drop.objects ?? []).some((o) => keyOfNames(names(nodeOf(o, 'ObjectWithArgs')?.objname)) === key)) return 'dropped';
      }
      return undefined;
    });
    if (said !== undefined) return said === 'dropped' ? undefined : said;
  }
  return undefined;
}

/** What statements say of a table's constraints, by name: the table a foreign key references, or 'other' (another kind, or dropped). */
export type ConstraintsSaid = Map<string, RangeVar | 'other'>;

/**
 * What `statements` (in order) say of `table`'s constraints: each named one (or a foreign key
 * under the name PostgreSQL gives an unnamed one) as the last of them defines or drops it; added
 * to `said` (what earlier statements said).
 */
export function constraintsIn(statements: readonly SqlStatement[], table: string, said: ConstraintsSaid = new Map()): ConstraintsSaid {
  for (const statement of statements) {
    const create = treeOf(statement, 'CreateStmt');
    const alter = treeOf(statement, 'AlterTableStmt');
    const relation = create?.relation ?? alter?.relation;
    if (!relation?.relname || tableKey(relation) !== table) continue;
    const ofColumn = (def: Node | undefined) => {
      const column = nodeOf(def, 'ColumnDef');
      return (column?.constraints ?? []).map((c) => ({ def: c, column: column?.colname }));
    };
    // Each constraint defined, with the column it is declared on (a column's own REFERENCES).
    const defined: { def: Node | undefined; column?: string }[] = [];
    if (create) defined.push(...(create.tableElts ?? []).flatMap((e) => [{ def: e }, ...ofColumn(e)]));
    for (const cmd of alter?.cmds ?? []) {
      const c = nodeOf(cmd, 'AlterTableCmd');
      if (c?.subtype === 'AT_DropConstraint' && c.name) said.set(c.name, 'other');
      else if (c?.subtype === 'AT_AddConstraint') defined.push({ def: c.def });
      else if (c?.subtype === 'AT_AddColumn') defined.push(...ofColumn(c.def));
    }
    for (const { def, column } of defined) {
      const c = nodeOf(def, 'Constraint');
      const name = c && (c.conname ?? defaultForeignKeyName(relation.relname, c, column));
      if (c && name) said.set(name, c.contype === 'CONSTR_FOREIGN' && c.pktable ? c.pktable : 'other');
    }
  }
  return said;
}

/** The name PostgreSQL gives an unnamed foreign key (`orders_user_id_fkey`), when it needs no truncation. */
function defaultForeignKeyName(relname: string, constraint: { contype?: string; fk_attrs?: Node[] }, column: string | undefined): string | undefined {
  if (constraint.contype !== 'CONSTR_FOREIGN') return undefined;
  const columns = constraint.fk_attrs?.length ? names(constraint.fk_attrs) : column ? [column] : [];
  const name = `${relname}_${columns.join('_')}_fkey`;
  return columns.length > 0 && name.length <= 63 ? name : undefined;
}

/** The table the foreign key `constraint` of `table` references, as the newest earlier migration defining it says. */
export function foreignKeyBefore(migration: Migration, fs: FileSystem, config: Config, table: string, constraint: string): RangeVar | undefined {
  const found = ownFolderMigration(migration, fs);
  if (!found) return undefined;
  const folder = historyOf(found.all, fs, config);
  const name = relationName(table).toLowerCase();
  // Read once per file and table for all of its constraints: a file dropping many asks of each.
  const mentions = (text: string) => text.includes(name) && (text.includes('constraint') || text.includes('references'));
  const own = found.all.indexOf(found.own);
  for (let i = own - 1; i >= 0; i--) {
    if (found.all[i].repeatable) continue;
    const said = folder.says(i, `constraints ${table}`, mentions, (statements) => constraintsIn(statements, table))?.get(constraint);
    if (said === 'other') return undefined;
    if (said === undefined) continue;
    // The referenced table under its name now: lemmy's foreign keys to user_, renamed person since.
    let referenced = said;
    // A statement of a chain names the table's name at that point (RENAME TO, then SET SCHEMA): all renames are read.
    const renames = (text: string) => text.includes('rename') || text.includes('schema');
    for (let k = i + 1; k < own; k++) {
      const from = referenced;
      referenced = folder.says(k, `renamed ${tableKey(from)}`, renames, (statements) => renamedIn(statements, from)) ?? referenced;
    }
    return referenced;
  }
  return undefined;
}

/** The table `relation` as `statements` leave it renamed (RENAME TO, SET SCHEMA); undefined when they do not. */
function renamedIn(statements: readonly SqlStatement[], relation: RangeVar): RangeVar | undefined {
  let current = relation;
  let renamed = false;
  for (const statement of statements) {
    const rename = treeOf(statement, 'RenameStmt');
    const move = treeOf(statement, 'AlterObjectSchemaStmt');
    if (rename?.renameType === 'OBJECT_TABLE' && rename.newname && tableKey(rename.relation) === tableKey(current)) current = { ...current, relname: rename.newname };
    else if (move?.objectType === 'OBJECT_TABLE' && move.newschema && tableKey(move.relation) === tableKey(current)) current = { ...current, schemaname: move.newschema };
    else continue;
    renamed = true;
  }
  return renamed ? current : undefined;
}

type Said = { type: TypeName } | { table: string; column: string } | 'gone';

/** What one statement says of the column, read backwards: its type, its name before a rename, or that it did not exist. */
function whatStatementSays(statement: SqlStatement, wanted: { table: string; column: string }): Said | undefined {
  const create = treeOf(statement, 'CreateStmt');
  if (create && tableKey(create.relation) === wanted.table) {
    for (const element of create.tableElts ?? []) {
      const def = nodeOf(element, 'ColumnDef');
      if (def?.colname === wanted.column && def.typeName) return { type: def.typeName };
    }
    // Not among its columns: it has the type of the table it copies (LIKE), inherits from or is a
    // partition of, when that is one table. Of several, which one gave it is not read here.
    const from = [...(create.tableElts ?? []).map((e) => nodeOf(e, 'TableLikeClause')?.relation), ...(create.inhRelations ?? []).map((n) => nodeOf(n, 'RangeVar'))].filter((r) => r !== undefined);
    return from.length === 1 ? { table: tableKey(from[0]), column: wanted.column } : 'gone';
  }
  const alter = treeOf(statement, 'AlterTableStmt');
  if (alter && alter.objtype === 'OBJECT_TABLE' && tableKey(alter.relation) === wanted.table) {
    const cmds = (alter.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd'));
    for (let i = cmds.length - 1; i >= 0; i--) {
      const cmd = cmds[i];
      const def = nodeOf(cmd?.def, 'ColumnDef');
      if (cmd?.subtype === 'AT_AlterColumnType' && cmd.name === wanted.column && def?.typeName) return { type: def.typeName };
      if (cmd?.subtype === 'AT_AddColumn' && def?.colname === wanted.column && def.typeName) return { type: def.typeName };
      if (cmd?.subtype === 'AT_DropColumn' && cmd.name === wanted.column) return 'gone';
    }
    return undefined;
  }
  const rename = treeOf(statement, 'RenameStmt');
  if (rename && tableKey(rename.relation) === wanted.table) {
    if (rename.renameType === 'OBJECT_COLUMN' && rename.newname === wanted.column && rename.subname) return { table: wanted.table, column: rename.subname };
    if (rename.renameType === 'OBJECT_TABLE') return 'gone';
  }
  if (rename?.renameType === 'OBJECT_TABLE' && rename.newname && tableKey({ ...rename.relation, relname: rename.newname }) === wanted.table) {
    return { table: tableKey(rename.relation), column: wanted.column };
  }
  return undefined;
}

/** A migration file as people name it: `003_x.sql`, or `<version>_<name>/up.sql` for a migration folder. */
function migrationName(path: string): string {
  const { dir, base } = splitPath(path);
  return isNamedByFolder(base) ? `${splitPath(dir).base}/${base}` : base;
}

/** The table's own name, without its schema: what a file must mention to say anything of it. */
function relationName(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

/**
 * A folder's migrations as history reads them, built as lookups need it and kept for the
 * folder's listing (a new listing, after a change, starts afresh): a file read and lower-cased
 * when a lookup first reaches it; whether it names a table, once per table; its UP part split
 * once, and a statement parsed only when it names a column looked up. What was read of a file is
 * kept for its text: an editor's unsaved text of an earlier migration counts as it changes.
 */
class FolderHistory {
  readonly paths: (string | undefined)[];
  private readonly files: (FileHistory | undefined)[] = [];

  constructor(
    all: FolderMigration[],
    private readonly fs: FileSystem,
    private readonly config: Config,
  ) {
    this.paths = all.map((m) => m.files.single ?? m.files.up);
  }

  /**
   * Whether migration `i`'s file names the table (its name without schema, any case). A lookup
   * reads files newest first and stops at the answer: a file is read when first asked about.
   */
  names(i: number, table: string): boolean {
    const file = this.file(i);
    if (!file) return false;
    let named = file.byTable.get(table);
    if (named === undefined) file.byTable.set(table, (named = file.lower.includes(relationName(table).toLowerCase())));
    return named;
  }

  /**
   * The UP statements of migration `i` that may say something of the column: their text names the
   * table, and the column, a rename (of the table: `ALTER TABLE a RENAME TO users`) or a table it
   * is made from (`LIKE`, `INHERITS`, `PARTITION OF`).
   */
  statementsNaming(i: number, wanted: { table: string; column: string }): SqlStatement[] {
    const table = relationName(wanted.table).toLowerCase();
    const column = wanted.column.toLowerCase();
    const file = this.file(i);
    if (!file || !this.names(i, wanted.table)) return [];
    file.mayNameAnother ??= MAY_NAME_ANOTHER_TABLE.test(file.lower);
    if (!file.mayNameAnother && !file.lower.includes(column)) return [];
    file.chunks ??= this.splitUp(this.paths[i]!, file.text);
    // A migration changing many columns of a table asks this of the same files again and again.
    let naming = file.chunksByTable.get(table);
    if (!naming) file.chunksByTable.set(table, (naming = file.chunks.filter((c) => c.lower.includes(table))));
    return naming.filter((c) => c.mayNameAnother || c.lower.includes(column)).flatMap((c) => (c.statements ??= parseChunk(c.chunk)));
  }

  /**
   * What `read` finds in the UP statements of migration `i` whose lower-cased text `mentions`
   * accepts (the file's first), kept under `key` with the file's text: a folder's migrations each
   * ask it of all the earlier ones.
   */
  says<T>(i: number, key: string, mentions: (lower: string) => boolean, read: (statements: SqlStatement[]) => T | undefined): T | undefined {
    const file = this.file(i);
    if (!file) return undefined;
    if (!file.says.has(key)) {
      let statements: SqlStatement[] = [];
      if (mentions(file.lower)) {
        file.chunks ??= this.splitUp(this.paths[i]!, file.text);
        statements = file.chunks.filter((c) => mentions(c.lower)).flatMap((c) => (c.statements ??= parseChunk(c.chunk)));
      }
      file.says.set(key, read(statements));
    }
    return file.says.get(key) as T | undefined;
  }

  /** What was read of migration `i`'s file, for the text it has now. */
  private file(i: number): FileHistory | undefined {
    const path = this.paths[i];
    const text = path === undefined ? undefined : this.fs.readFile(path);
    if (text === undefined) return undefined;
    let file = this.files[i];
    if (file?.text !== text) this.files[i] = file = { text, lower: text.toLowerCase(), byTable: new Map(), chunksByTable: new Map(), says: new Map() };
    return file;
  }

  private splitUp(path: string, text: string): NonNullable<FileHistory['chunks']> {
    const { parts, convention } = readMigration(path, text, this.fs, { convention: this.config.convention, skipSql: true });
    if (convention.embedded) {
      // A TS/JS migration: the SQL its strings and builder calls hand to the database, not its code.
      return readMigration(path, text, this.fs).up.map((statement) => {
        const lower = statement.text.toLowerCase();
        return { chunk: { start: statement.start, text: statement.text }, lower, mayNameAnother: MAY_NAME_ANOTHER_TABLE.test(lower), statements: [statement] };
      });
    }
    return parts
      .filter((p) => p.kind === 'up' && !p.commentedOut)
      .flatMap((p) => splitSql(text.slice(p.start, p.end), p.start))
      .map((chunk) => {
        const lower = chunk.text.toLowerCase();
        return { chunk, lower, mayNameAnother: MAY_NAME_ANOTHER_TABLE.test(lower) };
      });
  }
}

const MAY_NAME_ANOTHER_TABLE = /rename|like|inherits|partition/;

interface FileHistory {
  text: string;
  lower: string;
  /** Whether the text names a table, by table key. */
  byTable: Map<string, boolean>;
  /** Whether the text may name a table a column comes from (MAY_NAME_ANOTHER_TABLE), once asked. */
  mayNameAnother?: boolean;
  /** Its UP part split into statements, each parsed when first needed. */
  chunks?: HistoryChunk[];
  /** The chunks that name a table (its name without schema, lower case), by that name. */
  chunksByTable: Map<string, HistoryChunk[]>;
  /** What `FolderHistory.says` found, by key. */
  says: Map<string, unknown>;
}

interface HistoryChunk {
  chunk: SqlChunk;
  lower: string;
  /** It may name another table the column comes from (a rename, `LIKE`, `INHERITS`, `PARTITION OF`). */
  mayNameAnother: boolean;
  statements?: SqlStatement[];
}

const histories = new WeakMap<FolderMigration[], FolderHistory>();

function historyOf(all: FolderMigration[], fs: FileSystem, config: Config): FolderHistory {
  let history = histories.get(all);
  if (!history) histories.set(all, (history = new FolderHistory(all, fs, config)));
  return history;
}
