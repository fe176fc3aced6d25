import type { Migration } from '../migration/migration';
import { rollbackFor } from '../migration/inverse';
import { LineIndex } from '../sql/positions';
import type { Fix, Rule } from './rule';

/** Markers that open a DOWN section, for conventions that keep UP and DOWN in one file. */
const DOWN_MARKER: Record<string, string> = {
  goose: '-- +goose Down',
  dbmate: '-- migrate:down',
  template: '-- DOWN Migration (Rollback)',
  plain: '-- DOWN Migration (Rollback)',
};

export const missingRollback: Rule = {
  id: 'missing-rollback',
  defaultSeverity: 'warning',
  description: 'The migration has no DOWN part (section or down/undo/rollback file) where its convention expects one.',
  check({ migration, config, report }) {
    const { convention } = migration;
    if (config.requireRollback === false) return;
    if (!convention.expectsRollback && config.requireRollback !== true) return;
    if (convention.role !== 'migration' && convention.role !== 'up') return;
    if (!migration.up.some((s) => s.node)) return;
    if (hasRollback(migration)) return;
    const where = convention.twin ? `a rollback file (${relative(convention.twin, migration.path)})` : 'a DOWN section';
    report({
      message: `This migration has no rollback: ${convention.name} migrations keep it in ${where}. Without one, a bad deploy can only be fixed forward.`,
      fixes: [addRollbackFix(migration)],
    });
  },
};

function hasRollback(migration: Migration): boolean {
  if (migration.convention.twin) return (migration.twin()?.statements.length ?? 0) > 0;
  return migration.down.length > 0;
}

function relative(path: string, from: string): string {
  const dir = from.slice(0, from.lastIndexOf('/') + 1);
  return path.startsWith(dir) ? path.slice(dir.length) : path;
}

/** The generated rollback, as a DOWN section of this file or as the twin file. */
export function addRollbackFix(migration: Migration): Fix {
  const { convention, text, path } = migration;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = rollbackFor(migration.up, text);
  if (convention.twin) {
    const body = lines.join(eol) + eol;
    const twin = migration.twin();
    if (!twin) {
      const at = { line: 0, character: 0 };
      return { title: 'Create the rollback file', preferred: true, edits: [{ path: convention.twin, create: true, range: { start: at, end: at }, newText: body }] };
    }
    const end = new LineIndex(twin.text).positionAt(twin.text.length);
    const prefix = twin.text === '' || /\n$/.test(twin.text) ? '' : eol;
    return { title: 'Write the rollback file', preferred: true, edits: [{ path: twin.path, range: { start: end, end }, newText: prefix + body }] };
  }
  // A template DOWN section is written as comments, so `psql < file` runs only the UP part.
  const commented = convention.name === 'template' || convention.name === 'plain';
  const body = lines.map((l) => (commented && !l.startsWith('--') ? `-- ${l}` : l)).join(eol) + eol;
  const downPart = migration.parts.find((p) => p.kind === 'down');
  const edits: Fix['edits'] = [];
  if (downPart) {
    const at = migration.lines.positionAt(downPart.end);
    const prefix = /\n\s*$/.test(text.slice(0, downPart.end)) ? '' : eol;
    edits.push({ path, range: { start: at, end: at }, newText: prefix + body });
  } else {
    if (convention.name === 'plain') {
      const top = { line: 0, character: 0 };
      edits.push({ path, range: { start: top, end: top }, newText: `-- UP Migration${eol}` });
    }
    const end = migration.lines.positionAt(text.length);
    const prefix = text === '' || /\n$/.test(text) ? eol : eol + eol;
    edits.push({ path, range: { start: end, end }, newText: `${prefix}${DOWN_MARKER[convention.name] ?? DOWN_MARKER.template}${eol}${body}` });
  }
  return { title: 'Add a DOWN section with the generated rollback', preferred: true, edits };
}
