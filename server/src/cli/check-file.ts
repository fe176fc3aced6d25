/** Lints one file for `safemig check`: read it as text, find its configuration, run the engine. */
import type { Config } from '../config/config';
import { lint, Finding, severityOf } from '../lint/lint';
import type { DiskFileSystem } from '../workspace/node-fs';
import type { ConfigResolver } from '../workspace/settings';
import type { FileReport } from './output';

export function checkFile(path: string, shown: string, fs: DiskFileSystem, resolver: ConfigResolver): FileReport {
  const resolved = resolver.resolve(path);
  if (resolved.error) throw resolved.error;
  const read = fs.readText(path);
  const { config } = resolved;
  if ('problem' in read) return notChecked(shown, config, 'unreadable-file', `Not checked: ${read.problem}.`);
  try {
    const { migration, findings } = lint(path, read.text, fs, config, { fixes: false });
    return { path: shown, convention: migration.convention.name, findings };
  } catch (error) {
    // A bug met on one file must not lose the report of the others: it is reported on that file.
    const why = error instanceof Error ? error.message : String(error);
    return notChecked(shown, config, 'internal-error', `Not checked: safemig failed on this file (${why}). This is a bug in safemig: please report it with the file.`);
  }
}

/** A file the engine did not analyse: one finding at its start, at the rule's severity. */
function notChecked(shown: string, config: Config, rule: string, message: string): FileReport {
  const severity = severityOf(rule, config);
  const at = { line: 0, character: 0 };
  const finding: Finding | undefined = severity === 'off' ? undefined : { rule, severity, message, start: 0, end: 0, range: { start: at, end: at }, fixes: [] };
  return { path: shown, convention: 'unknown', findings: finding ? [finding] : [] };
}
