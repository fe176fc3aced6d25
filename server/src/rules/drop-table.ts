import { keyOfNames, names, nodeOf, treeOf } from '../sql/ast';
import type { Rule } from './rule';

export const dropTable: Rule = {
  id: 'drop-table',
  defaultSeverity: 'warning',
  description: 'DROP TABLE of an existing table breaks running code that uses it, and the data is gone.',
  check({ migration, facts, report }) {
    for (const statement of migration.up) {
      const drop = treeOf(statement, 'DropStmt');
      if (drop?.removeType !== 'OBJECT_TABLE') continue;
      for (const object of drop.objects ?? []) {
        const key = keyOfNames(names(nodeOf(object, 'List')?.items));
        if (!key || facts.createdTables.has(key)) continue;
        report({
          statement,
          message: `Dropping table ${key} breaks running code that still uses it, and its data is lost. Stop using it in the application first, deploy, then drop it.`,
        });
      }
    }
  },
};
