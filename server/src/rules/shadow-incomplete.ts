import { statementAt } from '../migration/migration';
import type { Rule } from './rule';

/** The shadow schema cannot judge this file: it names a table the folder does not describe. */
export const shadowIncomplete: Rule = {
  id: 'shadow-incomplete',
  defaultSeverity: 'info',
  shadow: true,
  description: 'A statement naming a table that neither the baseline nor an earlier migration creates: the schema checks are skipped for this file.',
  messages: {
    unknownTable: 'The schema checks are skipped for this file: {{name}} is not in the shadow schema (neither the baseline nor an earlier migration of this folder creates it).',
    failedEarlier: 'The schema checks are skipped for this file: {{name}} is not in the shadow schema because a statement that makes it failed there ({{where}}).',
    ranTooLong: 'The schema checks stopped for this file: this statement ran longer than {{seconds}} s in the shadow schema and was stopped (a loop that never ends?).',
  },
  help: {
    unknownTable: 'Add a baseline: write the schema the migrations run on to a file (`safemig schema dump --db URL --out db/baseline.sql`) and name it in .safemig.json ("baseline": ["db/baseline.sql"]).',
    failedEarlier: 'Fix that statement, or add what it makes to the baseline ("baseline" in .safemig.json).',
    ranTooLong: 'The shadow schema holds no data, so a statement that runs this long there will likely run long or forever on the database too. PGlite cannot cancel a statement: the shadow was stopped and rebuilt without this migration. The bound is "shadowTimeout" in .safemig.json (seconds, 1 to 60, default 10).',
  },
  check({ shadow, migration, report }) {
    const incomplete = shadow?.incomplete;
    if (!incomplete) return;
    report({
      statement: statementAt(migration.statements, incomplete.start),
      start: incomplete.start,
      end: incomplete.end,
      ...(incomplete.ranTooLong !== undefined
        ? { messageId: 'ranTooLong', data: { seconds: String(incomplete.ranTooLong) } }
        : incomplete.failedEarlier
          ? { messageId: 'failedEarlier', data: { name: incomplete.name, where: incomplete.failedEarlier } }
          : { messageId: 'unknownTable', data: { name: incomplete.name } }),
    });
  },
};
