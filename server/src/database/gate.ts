/**
 * The apply gate: a migration with error-severity findings (`protected-table`, `syntax-error`,
 * `concurrently-in-transaction`, `unbalanced-transaction`, …) is not applied unless the user
 * insists (CLI `--force`; the editor's "Apply anyway" after showing them). And what the editor
 * asks about before applying several at once: the UP statements that destroy data.
 */
import type { Config } from '../config/config';
import { Finding, lint } from '../lint/lint';
import { readMigration } from '../migration/migration';
import { readRunnable, TextFileSystem } from './files';
import { planMigration, PlanError } from './plan';

/** The file's error-severity findings, as `safemig check` reports them (without the shadow schema). */
export function applyBlockers(options: { fs: TextFileSystem; config: Config; path: string; text?: string }): Finding[] {
  const text = options.text ?? readRunnable(options.fs, options.path);
  return lint(options.path, text, options.fs, options.config, { fixes: false }).findings.filter((f) => f.severity === 'error');
}

/** One line per finding: `path:line:column rule: message`. */
export function formatBlockers(path: string, findings: Finding[]): string[] {
  return findings.map((f) => `${path}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.rule}: ${f.message}`);
}

/**
 * The UP statements that destroy data (`DROP TABLE users (line 4)`), as `apply` would ask about
 * them one migration at a time; none when the file cannot be planned (the gate or apply refuses it
 * then, saying why).
 */
export function destructiveUp(options: { fs: TextFileSystem; config: Config; path: string }): string[] {
  const { fs, config, path } = options;
  try {
    const plan = planMigration(readMigration(path, readRunnable(fs, path), fs, { convention: config.convention }), 'up');
    return plan.statements.flatMap((s) => (s.destructive ? [`${s.destructive} (line ${s.line + 1})`] : []));
  } catch (error) {
    if (error instanceof PlanError) return [];
    throw error;
  }
}
