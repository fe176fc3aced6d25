import { tableKey, treeOf } from '../sql/ast';
import type { Rule } from './rule';

export const renameColumn: Rule = {
  id: 'rename-column',
  defaultSeverity: 'warning',
  description: 'ALTER TABLE … RENAME COLUMN breaks running code that uses the old name.',
  check({ migration, facts, report }) {
    for (const statement of migration.up) {
      const rename = treeOf(statement, 'RenameStmt');
      if (rename?.renameType !== 'OBJECT_COLUMN' || rename.relationType !== 'OBJECT_TABLE') continue;
      if (!facts.predates(rename.relation)) continue;
      report({
        statement,
        message: `Renaming column ${rename.subname} of ${tableKey(rename.relation)} to ${rename.newname} breaks running code that uses the old name. Add the new column, write both, backfill, move readers, then drop the old one (expand and contract).`,
      });
    }
  },
};
