/**
 * The apply gate: a migration with error-severity findings (`protected-table`, `syntax-error`,
 * `concurrently-in-transaction`, `unbalanced-transaction`, …) is not applied unless the user
 * insists (CLI `--force`; the editor's "Apply anyway" after showing them).
 */
import type { Config } from '../config/config';
import { Finding, lint } from '../lint/lint';
import { readRunnable, TextFileSystem } from './files';

/** The file's error-severity findings, as `safemig check` reports them (without the shadow schema). */
export function applyBlockers(options: { fs: TextFileSystem; config: Config; path: string; text?: string }): Finding[] {
  const text = options.text ?? readRunnable(options.fs, options.path);
  return lint(options.path, text, options.fs, options.config, { fixes: false }).findings.filter((f) => f.severity === 'error');
}

/** One line per finding: `path:line:column rule: message`. */
export function formatBlockers(path: string, findings: Finding[]): string[] {
  return findings.map((f) => `${path}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.rule}: ${f.message}`);
}
