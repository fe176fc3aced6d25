/** Lints one file for `safemig check`: read it as text, find its configuration, run the engine. */
import { lint, Finding } from '../lint/lint';
import type { DiskFileSystem } from '../workspace/node-fs';
import type { ConfigResolver } from '../workspace/settings';
import type { FileReport } from './output';

export function checkFile(path: string, shown: string, fs: DiskFileSystem, resolver: ConfigResolver): FileReport {
  const resolved = resolver.resolve(path);
  if (resolved.error) throw resolved.error;
  const read = fs.readText(path);
  if ('problem' in read) return { path: shown, convention: 'unknown', findings: [unreadable(read.problem)] };
  const { migration, findings } = lint(path, read.text, fs, resolved.config, { fixes: false });
  return { path: shown, convention: migration.convention.name, findings };
}

function unreadable(problem: string): Finding {
  const at = { line: 0, character: 0 };
  return { rule: 'unreadable-file', severity: 'error', message: `Not checked: ${problem}.`, start: 0, end: 0, range: { start: at, end: at }, fixes: [] };
}
