import { inversesOf, undoneEffects } from '../migration/inverse';
import { Statement, statementAt } from '../migration/migration';
import { incompleteRollback } from './incomplete-rollback';
import type { Report, Rule, RuleContext } from './rule';

/**
 * What the shadow's round trip (UP, DOWN, compare with before UP, UP again) found. Each object is
 * placed on the UP statement that makes (or drops) it; one incomplete-rollback already reports
 * there is not reported twice.
 */
export const roundTripMismatch: Rule = {
  id: 'round-trip-mismatch',
  defaultSeverity: 'warning',
  shadow: true,
  description: 'After UP then DOWN the schema is not what it was before UP (each object is named), or UP fails when run again after DOWN.',
  messages: {
    left: 'After UP then DOWN, {{object}} is left behind: the DOWN part does not undo it.',
    missing: 'After UP then DOWN, {{object}} is missing: it existed before UP and the DOWN part does not restore it.',
    changed: 'After UP then DOWN, {{object}} is not as it was before UP: {{details}}.',
    upFails: 'UP fails when run again after DOWN: {{message}}.',
  },
  help: {
    left: 'Drop it in the DOWN part.',
    missing: 'Create it again in the DOWN part.',
    changed: 'Restore its previous definition in the DOWN part.',
    upFails: 'Make the DOWN part undo everything the UP part does, so that the migration can be applied again after a rollback.',
  },
  check(context) {
    const { shadow, migration, report } = context;
    if (!shadow || shadow.mismatches.length === 0) return;
    const byRollback = reportedByIncompleteRollback(context);
    for (const m of shadow.mismatches) {
      if (m.kind === 'up-fails') {
        const statement = statementAt(migration.statements, m.start);
        // UP meets what DOWN left behind: when incomplete-rollback names it, that is the finding.
        if (!statement || !byRollback.has(statement)) report({ statement, start: m.start, end: m.end, messageId: 'upFails', data: { message: m.name } });
        continue;
      }
      const key = effectKey(m.objectKind ?? '', m.name);
      const at = key ? migration.up.find((s) => (m.kind === 'left' ? inversesOf(s, migration.text).map((i) => i.effect) : undoneEffects(s)).includes(key)) : undefined;
      if (at && byRollback.has(at)) continue;
      const object = `${m.objectKind} ${m.name}`;
      report({
        statement: at ?? statementAt(migration.statements, m.start),
        start: at?.start ?? m.start,
        end: at?.end ?? m.end,
        messageId: m.kind,
        data: { object, details: m.details ?? '' },
      });
    }
  },
};

/** The UP statements incomplete-rollback reports (when it is on). */
function reportedByIncompleteRollback(context: RuleContext): Set<Statement> {
  const out = new Set<Statement>();
  if (context.config.rules[incompleteRollback.id] === 'off') return out;
  incompleteRollback.check({ ...context, report: (r: Report) => r.statement && out.add(r.statement) });
  return out;
}

/** A schema snapshot's object as migration/inverse.ts keys effects: `index users_email_idx` → `index:users_email_idx`. */
function effectKey(kind: string, name: string): string | undefined {
  const bare = name.slice(name.lastIndexOf('.') + 1);
  switch (kind) {
    case 'table':
    case 'view':
    case 'sequence':
    case 'schema':
    case 'extension':
    case 'type':
    case 'column':
    case 'policy':
      return `${kind}:${name}`;
    case 'materialized view':
      return `matview:${name}`;
    case 'index':
    case 'constraint':
    case 'trigger':
      return `${kind}:${bare}`;
    case 'function':
      return `function:${name.slice(0, name.indexOf('('))}`;
    default:
      return undefined;
  }
}
