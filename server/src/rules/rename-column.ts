import { tableKey, treeOf } from '../sql/ast';
import type { Rule } from './rule';

export const renameColumn: Rule = {
  id: 'rename-column',
  defaultSeverity: 'warning',
  description: 'ALTER TABLE … RENAME COLUMN breaks running code that uses the old name.',
  messages: {
    renameColumn: 'Renaming column {{column}} of {{table}} to {{newName}} breaks running code that uses the old name.',
  },
  help: {
    renameColumn: 'Add the new column, write both, backfill, move readers, then drop the old one (expand and contract).',
  },
  check({ migration, facts, report }) {
    for (const statement of migration.up) {
      const rename = treeOf(statement, 'RenameStmt');
      if (rename?.renameType !== 'OBJECT_COLUMN' || rename.relationType !== 'OBJECT_TABLE') continue;
      if (!facts.predates(rename.relation)) continue;
      report({
        statement,
        messageId: 'renameColumn',
        data: { column: rename.subname ?? '', table: tableKey(rename.relation), newName: rename.newname ?? '' },
      });
    }
  },
};
