/**
 * CodeLens above the UP and DOWN parts of a migration: apply, verify, roll back. The commands
 * are the client's (they need the editor: progress, prompts, secrets); the lens only places them.
 */
import type { CodeLens } from 'vscode-languageserver';
import type { MigrationFile, Part } from '../migration/migration';
import type { DocumentState } from './documents';

/** Client command ids, declared in package.json. */
export const DATABASE_COMMANDS = { apply: 'safemig.apply', rollback: 'safemig.rollback', verify: 'safemig.verify' } as const;

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
      lenses.push({ range, command: { title: 'Apply UP', command: DATABASE_COMMANDS.apply, arguments: args } });
      lenses.push({ range, command: { title: 'Verify round trip', command: DATABASE_COMMANDS.verify, arguments: args } });
    } else {
      lenses.push({ range, command: { title: part.commentedOut ? 'Roll back (DOWN, uncommented)' : 'Roll back (DOWN)', command: DATABASE_COMMANDS.rollback, arguments: args } });
    }
  }
  return lenses;
}

/** The part's marker line (`-- UP Migration`), else the line of its first statement. */
function lensLine(file: MigrationFile, part: Part): number {
  return file.lines.positionAt(part.marker?.start ?? part.statements[0].start).line;
}
