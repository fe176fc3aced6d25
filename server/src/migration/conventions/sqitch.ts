/** sqitch: `deploy/<change>.sql`, `revert/<change>.sql`, `verify/<change>.sql`, in the order of `sqitch.plan`. */
import type { ConventionInfo, FileSystem, FolderMigration } from '../model';
import { joinPath, parseMigrationName, splitPath } from '../names';
import type { FileContext } from './file';
import { naming, readOrUndefined } from './naming';
import { single, wholePart } from './sections';
import { displayDescription } from '../../authoring/description';
import { NewMigrationError } from '../../authoring/errors';
import type { Convention, Layout, LayoutInput } from './types';
import { exists, transactionBlock } from './writing';

export const sqitch: Convention = {
  name: 'sqitch',
  historyTable: 'sqitch.changes',
  namedByTool: true,
  recognises: (file) => sqitchPlace(file) !== undefined,
  read(file) {
    const place = sqitchPlace(file);
    const n = parseMigrationName(file.base);
    if (!place) return single('sqitch', file, { runnerTransaction: false, expectsRollback: true, name: n });
    if (place.kind === 'verify') {
      const info = single('sqitch', file, { runnerTransaction: false, expectsRollback: false, name: n });
      info.role = 'verify';
      return info;
    }
    const kind = place.kind === 'deploy' ? 'up' : 'down';
    const otherFolder = place.kind === 'deploy' ? 'revert' : 'deploy';
    const twinDir = joinPath(place.root, otherFolder, ...place.below);
    const info: ConventionInfo = {
      name: 'sqitch',
      role: kind,
      parts: [wholePart(file.text, file.scan.bom, kind, false)],
      twin: joinPath(twinDir, file.base),
      twinExists: file.has(twinDir, file.base),
      expectsRollback: true,
    };
    if (n) info.migrationName = n;
    return info;
  },
  folder: {
    readFolder: (dir, entries, fs) => (entries.includes('sqitch.plan') ? readSqitchPlan(dir, fs) : undefined),
    projectFolder: (entries) => (entries.includes('sqitch.plan') ? { subfolders: ['deploy', 'revert', 'verify'] } : undefined),
  },
  authoring: {
    choices: [{ id: 'sqitch', convention: 'sqitch', label: 'sqitch', example: 'deploy/, revert/, verify/description.sql + sqitch.plan', naming: naming({ kind: 'none' }, ''), rank: 100 }],
    layOut: sqitchLayout,
    impliedBy: (_dir, entries) => entries.includes('sqitch.plan'),
    transactionBlock: () => true,
    versions: { kind: 'none' },
  },
};

interface SqitchPlace {
  kind: 'deploy' | 'revert' | 'verify';
  root: string;
  /** Folders between the kind folder and the file. */
  below: string[];
}

function sqitchPlace(file: FileContext): SqitchPlace | undefined {
  return file.once('sqitch-place', () => {
    const up = file.ancestors(3);
    for (let i = 0; i < up.length; i++) {
      const kind = up[i].name.toLowerCase();
      if (kind !== 'deploy' && kind !== 'revert' && kind !== 'verify') continue;
      const root = up[i].parent;
      const entries = file.list(root);
      if (!entries) return undefined;
      const plan = entries.includes('sqitch.plan');
      if (!plan && !(entries.includes('deploy') && entries.includes('revert'))) return undefined;
      const below = up.slice(0, i).map((a) => a.name).reverse();
      return { kind, root, below };
    }
    return undefined;
  });
}

/** The changes of `sqitch.plan` in plan order, numbered from 1. */
function readSqitchPlan(dir: string, fs: FileSystem): FolderMigration[] | undefined {
  const plan = readOrUndefined(fs, joinPath(dir, 'sqitch.plan'));
  if (plan === undefined) return undefined;
  const deploy = new Set(listDir(fs, joinPath(dir, 'deploy')) ?? []);
  const revert = new Set(listDir(fs, joinPath(dir, 'revert')) ?? []);
  const out: FolderMigration[] = [];
  for (const raw of plan.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line[0] === '%' || line[0] === '#' || line[0] === '@') continue;
    const change = /^([^\s[#]+)/.exec(line)?.[1];
    if (!change) continue;
    const name = `${change}.sql`;
    const files: FolderMigration['files'] = {};
    if (deploy.has(name)) files.up = joinPath(dir, 'deploy', name);
    if (revert.has(name)) files.down = joinPath(dir, 'revert', name);
    out.push({ version: String(out.length + 1), description: change, versionStyle: 'other', files, convention: 'sqitch' });
  }
  return out;
}

function listDir(fs: FileSystem, dir: string): string[] | undefined {
  try {
    return fs.readDir(dir);
  } catch {
    return undefined;
  }
}

/** `deploy/`, `revert/` (and `verify/` where the project has it) `<change>.sql`, and the change's line in `sqitch.plan`. */
function sqitchLayout(input: LayoutInput): Layout {
  const { dir, stem: change, parts, fs, now } = input;
  const { header, eol } = parts;
  if (input.migrations.some((m) => m.description === change)) {
    throw new NewMigrationError('exists', `sqitch.plan already has a change named "${change}": describe this one differently.`);
  }
  const planPath = joinPath(dir, 'sqitch.plan');
  const plan = readOrUndefined(fs, planPath);
  const project = /^%project=(\S+)/m.exec(plan ?? '')?.[1] ?? splitPath(dir).base;
  const verify = fs.isDirectory(joinPath(dir, 'verify')) || !fs.isDirectory(joinPath(dir, 'deploy'));
  const head = (verb: string, preposition: string) => `-- ${verb} ${project}:${change} ${preposition} pg${eol}`;
  const files = [
    { path: joinPath(dir, 'deploy', `${change}.sql`), text: head('Deploy', 'to') + header + transactionBlock(parts.up, 'COMMIT', eol) },
    { path: joinPath(dir, 'revert', `${change}.sql`), text: head('Revert', 'from') + header + transactionBlock(parts.down, 'COMMIT', eol) },
  ];
  if (verify) files.push({ path: joinPath(dir, 'verify', `${change}.sql`), text: head('Verify', 'on') + header + transactionBlock('', 'ROLLBACK', eol) });
  const author = oneLine(input.author.name);
  const email = input.author.email ?? `${author.replace(/\s+/g, '.').toLowerCase() || 'unknown'}@localhost`;
  const line = `${change} ${now.toISOString().replace(/\.\d+Z$/, 'Z')} ${author} <${email}> # ${displayDescription(input.description)}${eol}`;
  const appends: Layout['appends'] = [];
  if (plan === undefined) {
    files.push({ path: planPath, text: `%syntax-version=1.0.0${eol}%project=${project}${eol}${eol}${line}` });
    if (!exists(fs, joinPath(dir, 'sqitch.conf'))) files.push({ path: joinPath(dir, 'sqitch.conf'), text: `[core]${eol}\tengine = pg${eol}` });
  } else {
    appends.push({ path: planPath, text: (plan === '' || /\n$/.test(plan) ? '' : eol) + line });
  }
  return { files, upAt: files[0].text.indexOf(`BEGIN;${eol}`) + `BEGIN;${eol}`.length, appends, name: `${change}.sql` };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
