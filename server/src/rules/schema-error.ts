import { statementAt } from '../migration/migration';
import type { Rule } from './rule';

/**
 * What PostgreSQL rejected when the migration ran in the shadow schema (shadow/shadow.ts does the
 * running; this rule only reports, so that severities and suppressions work as for any rule).
 */
export const schemaError: Rule = {
  id: 'schema-error',
  defaultSeverity: 'error',
  shadow: true,
  description: 'A statement PostgreSQL rejects when it runs against the schema before this migration (the shadow schema): its own message, at its position.',
  messages: {
    rejected: '{{message}}{{more}}',
    rejectedDown: '{{message}}{{more}} (in the DOWN part, run against the schema the UP part leaves)',
    didYouMean: '{{message}}: did you mean "{{suggestion}}"?',
  },
  check({ shadow, migration, report }) {
    for (const error of shadow?.errors ?? []) {
      const more = `${error.detail ? ` (${error.detail})` : ''}${error.hint ? ` Hint: ${error.hint}` : ''}`;
      report({
        statement: statementAt(migration.statements, error.start),
        start: error.start,
        end: error.end,
        messageId: error.suggestion ? 'didYouMean' : error.part === 'down' ? 'rejectedDown' : 'rejected',
        data: { message: error.message, more, suggestion: error.suggestion ?? '' },
      });
    }
  },
};
