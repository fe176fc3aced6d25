import { keyOfNames, names, nodeOf, treeOf } from '../sql/ast';
import type { Rule } from './rule';

export const dropTable: Rule = {
  id: 'drop-table',
  defaultSeverity: 'warning',
  description: 'DROP TABLE of an existing table breaks running code that uses it, and the data is gone.',
  messages: {
    dropTable: 'Dropping table {{table}} breaks running code that still uses it, and its data is lost.',
  },
  help: {
    dropTable: 'Stop using it in the application first, deploy, then drop it.',
  },
  check({ migration, facts, report }) {
    for (const statement of migration.up) {
      const drop = treeOf(statement, 'DropStmt');
      if (drop?.removeType !== 'OBJECT_TABLE') continue;
      for (const object of drop.objects ?? []) {
        const key = keyOfNames(names(nodeOf(object, 'List')?.items));
        if (!key || facts.createdTables.has(key)) continue;
        report({ statement, messageId: 'dropTable', data: { table: key } });
      }
    }
  },
};
