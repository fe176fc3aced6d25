/**
 * CodeLens above the UP and DOWN parts of a migration: apply, verify, roll back. The commands
 * are the client's (they need the editor: progress, prompts, secrets); the lens only places them.
 */
import type { CodeLens } from 'vscode-languageserver';
import type { MigrationFile, Part } from '../migration/migration';
import { COMMANDS } from '../protocol';
import type { DocumentState } from './documents';

export function codeLensesOf(state: DocumentState): CodeLens[] {
  const migration = state.result?.migration;
  if (!migration) return [];
  const role = migration.convention.role;
  if (role === 'verify') return [];
  const lenses: CodeLens[] = [];
  const args = [state.uri];
  for (const part of migration.parts) {
    if (part.statements.length === 0) continue;
    const line = lensLine(migration, part);
    const range = { start: { line, character: 0 }, end: { line, character: 0 } };
    if (part.kind === 'up') {
      lenses.push({ range, command: { title: 'Apply UP', command: COMMANDS.apply.id, arguments: args } });
      lenses.push({ range, command: { title: 'Verify round trip', command: COMMANDS.verify.id, arguments: args } });
    } else {
      lenses.push({ range, command: { title: part.commentedOut ? 'Roll back (DOWN, uncommented)' : 'Roll back (DOWN)', command: COMMANDS.rollback.id, arguments: args } });
    }
  }
  return lenses;
}

/** The part's marker line (`-- UP Migration`), a TS/JS migration's `up` / `down` function, else the line of its first statement. */
function lensLine(file: MigrationFile, part: Part): number {
  return file.lines.positionAt(part.marker?.start ?? (file.convention.embedded ? part.start : part.statements[0].start)).line;
}
