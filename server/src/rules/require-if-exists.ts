import { alterActions, findWords, nodeOf, treeOf } from '../sql/ast';
import { insertFix } from './helpers/fix';
import type { Rule } from './rule';

/** DROP object kinds this rule checks, with the words that name them in the statement. */
const DROP_WORDS: Record<string, string[]> = {
  OBJECT_TABLE: ['TABLE'],
  OBJECT_INDEX: ['INDEX'],
  OBJECT_VIEW: ['VIEW'],
  OBJECT_MATVIEW: ['MATERIALIZED', 'VIEW'],
  OBJECT_SEQUENCE: ['SEQUENCE'],
  OBJECT_SCHEMA: ['SCHEMA'],
  OBJECT_TYPE: ['TYPE'],
  OBJECT_FUNCTION: ['FUNCTION'],
  OBJECT_PROCEDURE: ['PROCEDURE'],
  OBJECT_TRIGGER: ['TRIGGER'],
  OBJECT_EXTENSION: ['EXTENSION'],
};

/** DROP … without IF EXISTS fails when the object is already gone (a re-run, a partial rollback). */
export const requireIfExists: Rule = {
  id: 'require-if-exists',
  defaultSeverity: 'warning',
  description: 'DROP and ALTER TABLE … DROP COLUMN / CONSTRAINT without IF EXISTS fail when re-run.',
  messages: {
    drop: 'DROP {{object}} without IF EXISTS fails if the object is already gone (a re-run, a partial rollback).',
    dropColumn: 'DROP COLUMN {{name}} without IF EXISTS fails if it is already gone (a re-run, a partial rollback).',
    dropConstraint: 'DROP CONSTRAINT {{name}} without IF EXISTS fails if it is already gone (a re-run, a partial rollback).',
  },
  fixable: true,
  check({ migration, report }) {
    for (const statement of migration.statements) {
      const drop = treeOf(statement, 'DropStmt');
      if (drop && !drop.missing_ok && drop.removeType && DROP_WORDS[drop.removeType]) {
        const tokens = statement.sqlTokens;
        const words = DROP_WORDS[drop.removeType];
        let at = findWords(tokens, ['DROP', ...words]);
        if (at < 0) continue;
        at += words.length;
        if (tokens[at + 1]?.value === 'CONCURRENTLY') at++;
        report({
          statement,
          messageId: 'drop',
          data: { object: words.join(' ') },
          fixes: () => [insertFix(migration, 'Add IF EXISTS', tokens[at].end, ' IF EXISTS')],
        });
        continue;
      }
      const alter = treeOf(statement, 'AlterTableStmt');
      if (!alter || alter.objtype !== 'OBJECT_TABLE') continue;
      const cmds = (alter.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd')!);
      for (const action of alterActions(statement, cmds, alter.relation?.location)) {
        const { subtype, missing_ok, name } = action.cmd ?? {};
        if (missing_ok || (subtype !== 'AT_DropColumn' && subtype !== 'AT_DropConstraint')) continue;
        const clause = statement.sqlTokens.filter((t) => t.start >= action.start && t.end <= action.end);
        const words = clause[1]?.value === 'COLUMN' || clause[1]?.value === 'CONSTRAINT' ? 2 : 1;
        report({
          statement,
          start: action.start,
          end: action.end,
          messageId: subtype === 'AT_DropColumn' ? 'dropColumn' : 'dropConstraint',
          data: { name: name ?? '' },
          fixes: () => [insertFix(migration, 'Add IF EXISTS', clause[words - 1].end, ' IF EXISTS')],
        });
      }
    }
  },
};
