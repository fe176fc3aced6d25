/**
 * What the earlier migrations of a folder say about the schema: the type a column was given
 * before this migration. Read newest first, and only the files that name the table, so a lookup
 * parses a few files, once per file-system state.
 */
import type { TypeName } from 'libpg-query';
import type { Config } from '../../config/config';
import { Migration, readMigration, Statement } from '../../migration/migration';
import type { FileSystem } from '../../migration/model';
import { splitPath } from '../../migration/names';
import { nodeOf, tableKey, treeOf } from '../../sql/ast';
import { ownFolderMigration } from '../duplicate-migration-version';

export interface EarlierType {
  type: TypeName;
  /** The migration that gave the column this type, as people name it (`003_x.sql`, `<version>_<name>/up.sql`). */
  file: string;
}

/**
 * The type of `table.column` (keys as `tableKey` makes them) when `migration` runs, as the
 * migrations before it in its folder left it; undefined when none of them says (the table comes
 * from elsewhere, or a statement that is not read here, such as `CREATE TABLE … (LIKE …)`, made it).
 */
export function typeBefore(migration: Migration, fs: FileSystem, config: Config, table: string, column: string): EarlierType | undefined {
  const found = ownFolderMigration(migration, fs);
  if (!found) return undefined;
  const earlier = found.all.slice(0, found.all.indexOf(found.own)).filter((m) => !m.repeatable);
  let wanted = { table, column };
  for (let i = earlier.length - 1; i >= 0; i--) {
    const path = earlier[i].files.single ?? earlier[i].files.up;
    if (!path) continue;
    const statements = upStatementsNaming(path, wanted, fs, config);
    for (let k = statements.length - 1; k >= 0; k--) {
      const said = whatStatementSays(statements[k], wanted);
      if (said === undefined) continue;
      if (said === 'gone') return undefined;
      if ('type' in said) return { type: said.type, file: migrationName(path) };
      wanted = said;
    }
  }
  return undefined;
}

type Said = { type: TypeName } | { table: string; column: string } | 'gone';

/** What one statement says of the column, read backwards: its type, its name before a rename, or that it did not exist. */
function whatStatementSays(statement: Statement, wanted: { table: string; column: string }): Said | undefined {
  const create = treeOf(statement, 'CreateStmt');
  if (create && tableKey(create.relation) === wanted.table) {
    for (const element of create.tableElts ?? []) {
      const def = nodeOf(element, 'ColumnDef');
      if (def?.colname === wanted.column && def.typeName) return { type: def.typeName };
    }
    // Not among its columns: it came from LIKE, INHERITS or PARTITION OF, which this does not follow.
    return 'gone';
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
  return /^(?:up|down|migration)\.sql$/i.test(base) ? `${splitPath(dir).base}/${base}` : base;
}

/** The table's own name, without its schema: what a file must mention to say anything of it. */
function relationName(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

/**
 * The UP statements of a file that may say something of the column: its text names the table,
 * and the column or a rename (of the table: `ALTER TABLE a RENAME TO users`). None otherwise.
 */
function upStatementsNaming(path: string, wanted: { table: string; column: string }, fs: FileSystem, config: Config): Statement[] {
  const text = fs.readFile(path)?.toLowerCase();
  if (text === undefined || !text.includes(relationName(wanted.table).toLowerCase())) return [];
  if (!text.includes(wanted.column.toLowerCase()) && !text.includes('rename')) return [];
  const read = () => readMigration(path, fs.readFile(path) ?? '', fs, { convention: config.convention }).up;
  return fs.memo ? fs.memo(`up-statements:${path}`, read) : read();
}
