import { tableKey, treeOf } from '../sql/ast';
import type { Rule } from './rule';

export const renameTable: Rule = {
  id: 'rename-table',
  defaultSeverity: 'warning',
  description: 'ALTER TABLE … RENAME TO breaks running code that uses the old name.',
  check({ migration, facts, report }) {
    for (const statement of migration.up) {
      const rename = treeOf(statement, 'RenameStmt');
      if (rename?.renameType !== 'OBJECT_TABLE' || !facts.predates(rename.relation)) continue;
      report({
        statement,
        message: `Renaming table ${tableKey(rename.relation)} to ${rename.newname} breaks running code that uses the old name. Create the new table (or a view with the old name) and move the application over before removing the old name.`,
      });
    }
  },
};
