/** `safemig new "add retry columns"`: scaffold the next migration of a folder, in its convention. */
import { appendFileSync, mkdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { gitAuthor, projectTemplate } from '../authoring/author';
import { descriptionProblem } from '../authoring/description';
import { findMigrationFolders, MigrationFolder, resolveTargetFolder } from '../authoring/folders';
import { namePatternWarnings, NewMigrationError, NewMigrationPlan, planNewMigration } from '../authoring/plan';
import { NEW_FOLDER_CHOICES } from '../authoring/style';
import { DiskFileSystem } from '../workspace/node-fs';
import { ConfigResolver, configBase, isMigrationFile } from '../workspace/settings';
import { parseArgs, UsageError } from './args';
import type { Io } from './io';

export const NEW_USAGE = `usage: safemig new "description" [--dir DIR] [--convention ${NEW_FOLDER_CHOICES.map((c) => c.id).join('|')}] [--config FILE]`;

export async function newMigration(argv: string[], io: Io): Promise<number> {
  const args = parseArgs(argv, { values: ['dir', 'convention', 'config'] });
  const description = args.positionals.join(' ');
  if (args.positionals.length === 0) throw new UsageError('say what the migration does, e.g. safemig new "add retry columns"');
  const problem = descriptionProblem(description);
  if (problem) throw new UsageError(problem);

  const fs = new DiskFileSystem();
  const fixedConfig = args.values.config ? resolve(io.cwd, args.values.config) : undefined;
  const resolver = new ConfigResolver(fs, {}, fixedConfig);
  if (fixedConfig) resolver.loadStrict(fixedConfig);
  const accept = (path: string) => {
    const resolved = resolver.resolve(path);
    return isMigrationFile(path, fs.readFile(path), resolved.config, configBase(resolved, io.cwd));
  };

  const dir = chooseFolder(args.values.dir, io, fs, accept);
  const resolved = resolver.resolve(join(dir, 'new-migration.sql'));
  if (resolved.error) throw resolved.error;
  const template = projectTemplate(resolved, io.cwd, fs);
  const convention = args.values.convention ?? (resolved.config.convention !== 'auto' ? resolved.config.convention : undefined);

  let plan: NewMigrationPlan;
  try {
    plan = planNewMigration({ dir, description, fs, now: new Date(), author: gitAuthor(existingAncestor(dir)), template: template?.text, convention });
  } catch (error) {
    if (!(error instanceof NewMigrationError)) throw error;
    if (error.kind === 'exists' || error.kind === 'order') {
      io.stderr(`safemig new: ${error.message}\n`);
      return 1;
    }
    throw new UsageError(error.kind === 'convention' && !args.values.convention ? `${error.message.replace(/: choose one.*$/, '')}: choose one with --convention` : error.message);
  }

  writePlan(plan);
  for (const warning of namePatternWarnings(plan, resolved.config.fileNamePattern)) io.stderr(`safemig new: ${warning}\n`);
  for (const file of plan.files) io.stdout(`${shown(file.path, io.cwd)}\n`);
  for (const append of plan.appends) io.stdout(`${shown(append.path, io.cwd)} (added the change)\n`);
  return 0;
}

/** The folder the user named, or the one migrations folder under the working directory. */
function chooseFolder(dirArg: string | undefined, io: Io, fs: DiskFileSystem, accept: (path: string) => boolean): string {
  const list = (folders: MigrationFolder[]) => folders.map((f) => `  ${shown(f.dir, io.cwd)} (${f.convention}, ${f.count} migrations, latest ${f.latest})`).join('\n');
  if (dirArg !== undefined) {
    const target = resolveTargetFolder(resolve(io.cwd, dirArg), fs, { accept });
    if (target.dir) return target.dir;
    throw new UsageError(`${dirArg} holds several migrations folders; name one with --dir:\n${list(target.candidates)}`);
  }
  const found = findMigrationFolders(io.cwd, fs, { accept });
  if (found.length === 1) return found[0].dir;
  if (found.length === 0) throw new UsageError(`no migrations folder under ${io.cwd}: name one with --dir (a new, empty folder also needs --convention)`);
  throw new UsageError(`several migrations folders under ${io.cwd}; name one with --dir:\n${list(found)}`);
}

/**
 * Creates the planned files (never over an existing one) and appends the plan's lines. When a
 * step fails, the files and folders created so far are removed: nothing half-made stays.
 */
export function writePlan(plan: NewMigrationPlan): void {
  const createdFiles: string[] = [];
  const createdDirs: string[] = [];
  try {
    for (const file of plan.files) {
      const first = mkdirSync(dirname(file.path), { recursive: true });
      if (first) createdDirs.push(first);
      writeFileSync(file.path, file.content, { flag: 'wx' });
      createdFiles.push(file.path);
    }
    for (const append of plan.appends) appendFileSync(append.path, append.text);
  } catch (error) {
    for (const path of createdFiles.reverse()) unlinkSync(path);
    for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`${(error as NodeJS.ErrnoException).path ?? 'a file'} already exists: safemig never overwrites a file.`);
    throw error;
  }
}

function existingAncestor(dir: string): string {
  let cur = dir;
  for (;;) {
    try {
      if (statSync(cur).isDirectory()) return cur;
    } catch {
      // not there yet: the migrations folder is created with the migration
    }
    const parent = dirname(cur);
    if (parent === cur) return cur;
    cur = parent;
  }
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
