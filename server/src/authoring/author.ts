/**
 * Who writes the migration (git's `user.name` / `user.email`, else the OS user), and which
 * template file applies (`template` in `.safemig.json`, else `.safemig/template.sql` when it
 * exists). Node-only: used by the CLI and the extension, not by the pure planner.
 */
import { execFileSync } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveInsideProject } from '../config/inside-project';
import type { FileSystem } from '../migration/model';
import type { ResolvedConfig } from '../workspace/settings';
import type { Author } from '../migration/conventions/types';

/** The author from git's config as seen from `cwd`, else the OS user name. */
export function gitAuthor(cwd: string): Author {
  const name = gitConfig('user.name', cwd) ?? osUser();
  const email = gitConfig('user.email', cwd) ?? `${osUser()}@${safeHostname()}`;
  return { name, email };
}

function gitConfig(key: string, cwd: string): string | undefined {
  try {
    const out = execFileSync('git', ['config', '--get', key], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined; // no git, no repository, or the key is not set
  }
}

function osUser(): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // userInfo throws when the uid has no passwd entry (some containers)
  }
  return process.env.USER ?? process.env.USERNAME ?? 'unknown';
}

function safeHostname(): string {
  try {
    return hostname() || 'localhost';
  } catch {
    return 'localhost';
  }
}

export const DEFAULT_TEMPLATE_PATH = join('.safemig', 'template.sql');

export interface TemplateFile {
  path: string;
  text: string;
}

/**
 * The project's template for migrations governed by `resolved` (the config of a file in the
 * migrations folder): `template` from `.safemig.json`, relative to its folder, which must exist;
 * else `.safemig/template.sql` beside the config file (or in `fallbackBase` without one), when it
 * exists. Undefined: use the seeds' template. Throws when a configured template cannot be read.
 */
export function projectTemplate(resolved: ResolvedConfig, fallbackBase: string, fs: FileSystem): TemplateFile | undefined {
  const base = resolved.file ? dirname(resolved.file) : fallbackBase;
  const configured = resolved.config.template;
  if (configured) {
    const inside = resolveInsideProject(base, configured);
    if ('problem' in inside) throw new Error(`the template is refused: ${inside.problem} (\`template\` in ${resolved.file ?? 'the configuration'} must name a file inside the project)`);
    const path = inside.path;
    const text = fs.readFile(path);
    if (text === undefined) throw new Error(`the template ${path} (\`template\` in ${resolved.file ?? 'the configuration'}) cannot be read`);
    return { path, text: text.replace(/^\uFEFF/, '') };
  }
  const inside = resolveInsideProject(base, DEFAULT_TEMPLATE_PATH);
  if ('problem' in inside) throw new Error(`the template is refused: ${inside.problem}`);
  const path = inside.path;
  const text = fs.readFile(path);
  return text === undefined ? undefined : { path, text: text.replace(/^\uFEFF/, '') };
}
