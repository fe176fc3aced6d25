/** Lints one file for `safemig check`: read it as text, find its configuration, run the engine. */
import { UNREADABLE_FILE } from '../lint/engine-findings';
import { internalError, lint, notAnalysed } from '../lint/lint';
import type { FileSystem } from '../migration/model';
import type { DiskFileSystem } from '../workspace/node-fs';
import type { ConfigResolver } from '../workspace/settings';
import type { FileReport } from './formats';
import type { ShadowFile } from '../shadow/findings';

/** `engineFs`: what the engine reads neighbours through (the same disk, recorded for `--cache`); `shadow`: the shadow schema's findings for the file, when it ran. */
export function checkFile(path: string, shown: string, fs: DiskFileSystem, resolver: ConfigResolver, engineFs: FileSystem = fs, shadow?: ShadowFile): FileReport {
  const resolved = resolver.resolve(path);
  if (resolved.error) throw resolved.error;
  const read = fs.readText(path);
  const { config } = resolved;
  if ('problem' in read) return { path: shown, convention: 'unknown', findings: notAnalysed(config, UNREADABLE_FILE, 'unreadable', { problem: read.problem }) };
  try {
    const { migration, findings } = lint(path, read.text, engineFs, config, { fixes: false, shadow });
    return { path: shown, convention: migration.convention.name, findings };
  } catch (error) {
    return { path: shown, convention: 'unknown', findings: internalError(config, error) };
  }
}
