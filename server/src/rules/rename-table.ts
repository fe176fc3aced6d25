import { tableKey, treeOf } from '../sql/ast';
import type { Rule } from './rule';

export const renameTable: Rule = {
  id: 'rename-table',
  defaultSeverity: 'warning',
  description: 'ALTER TABLE … RENAME TO breaks running code that uses the old name.',
  messages: {
    renameTable: 'Renaming table {{table}} to {{newName}} breaks running code that uses the old name.',
  },
  help: {
    renameTable: 'Create the new table (or a view with the old name) and move the application over before removing the old name.',
  },
  check({ migration, facts, report }) {
    for (const statement of migration.up) {
      const rename = treeOf(statement, 'RenameStmt');
      if (rename?.renameType !== 'OBJECT_TABLE' || !facts.predates(rename.relation)) continue;
      report({ statement, messageId: 'renameTable', data: { table: tableKey(rename.relation), newName: rename.newname ?? '' } });
    }
  },
};
