import type { Migration } from '../migration/migration';
import { conventionNamed } from '../migration/conventions';
import { MARKER_LINES, scanMarkers } from '../migration/conventions/markers';
import { inversesOf, rollbackFor } from '../migration/inverse';
import { LineIndex } from '../sql/positions';
import type { Fix, Rule } from './rule';

/** Conventions whose files hold UP / DOWN sections (goose, dbmate, template); every other runner runs the whole file. */
const isSectioned = (name: string): boolean => conventionNamed(name).sections !== undefined;

/** How the fix writes a DOWN section into a file of this convention (its module says; else the template's, commented out). */
const downSectionOf = (name: string) => conventionNamed(name).downSection ?? { family: 'template' as const, commented: true, markUp: false };

export const missingRollback: Rule = {
  id: 'missing-rollback',
  defaultSeverity: 'warning',
  description: 'The migration has no DOWN part (section or down/undo/rollback file) where its convention expects one.',
  messages: {
    missingRollback: 'This migration has no rollback: {{convention}} migrations keep it in {{where}}. Without one, a bad deploy can only be fixed forward.',
    irreversible: 'This migration says it cannot be rolled back (`down = false`): a bad deploy can only be fixed forward.',
  },
  fixable: true,
  check({ migration, config, report }) {
    const { convention } = migration;
    if (config.requireRollback === false) return;
    if (!convention.expectsRollback && config.requireRollback !== true) return;
    if (convention.role !== 'migration' && convention.role !== 'up') return;
    if (!migration.up.some((s) => s.kind !== '')) return;
    if (hasRollback(migration)) return;
    // Settings, queries and maintenance alone leave nothing to undo.
    if (!migration.up.some((s) => inversesOf(s, migration.text).length > 0)) return;
    const embedded = convention.embedded;
    if (embedded?.down === 'irreversible' && embedded.irreversibleAt) {
      report({ messageId: 'irreversible', start: embedded.irreversibleAt.start, end: embedded.irreversibleAt.end });
      return;
    }
    const where = convention.twin
      ? `a rollback file (${relative(convention.twin, migration.path)})`
      : embedded ? 'a `down` function'
      : isSectioned(convention.name) || downSectionOf(convention.name).markUp ? 'a DOWN section' : 'a commented-out DOWN section, as the runner runs the whole file';
    report({
      messageId: 'missingRollback',
      data: { convention: convention.name, where },
      fixes: () => [addRollbackFix(migration)],
    });
  },
};

/**
 * A DOWN part with any content counts: SQL, a commented-out rollback (the template style), or a
 * note that the change cannot be undone. Only a missing or blank one is missing.
 */
function hasRollback(migration: Migration): boolean {
  const { convention, text } = migration;
  if (convention.embedded) return convention.embedded.down === 'function';
  if (convention.twin) return hasContent(migration.twinText() ?? '');
  if (migration.parts.some((p) => p.kind === 'down' && hasContent(text.slice(p.start, p.end)))) return true;
  if (isSectioned(convention.name)) return false;
  // A runner that runs the whole file (Supabase, Prisma) can only keep a commented-out rollback.
  const marker = scanMarkers(text).markers.find((m) => m.kind === 'down');
  return marker !== undefined && hasContent(text.slice(marker.next));
}

/** Non-blank text other than comment rules (`-- =====`) and goose annotations. */
function hasContent(text: string): boolean {
  return text.split(/\r?\n|\r/).some((line) => !/^\s*(?:--[\s=#*~-]*|--\s*\+goose\b.*)?$/.test(line.replace(/^\uFEFF/, '')));
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
  // A DOWN section is written as comments unless the runner reads sections (goose, dbmate), so
  // that `psql < file` (template) or a whole-file runner (Supabase) runs only the UP part.
  const section = downSectionOf(convention.name);
  const commented = section.commented;
  const body = lines.map((l) => (commented && !l.startsWith('--') ? `-- ${l}` : l)).join(eol) + eol;
  const downPart = migration.parts.find((p) => p.kind === 'down');
  const edits: Fix['edits'] = [];
  if (downPart) {
    const at = migration.lines.positionAt(downPart.end);
    const prefix = /\n\s*$/.test(text.slice(0, downPart.end)) ? '' : eol;
    edits.push({ path, range: { start: at, end: at }, newText: prefix + body });
  } else {
    if (section.markUp) {
      const top = { line: 0, character: 0 };
      edits.push({ path, range: { start: top, end: top }, newText: `${MARKER_LINES[section.family].up}${eol}` });
    }
    const end = migration.lines.positionAt(text.length);
    const prefix = text === '' || /\n$/.test(text) ? eol : eol + eol;
    edits.push({ path, range: { start: end, end }, newText: `${prefix}${MARKER_LINES[section.family].down}${eol}${body}` });
  }
  return { title: 'Add a DOWN section with the generated rollback', preferred: true, edits };
}
