/** What a rule is and what it sees. One file per rule under rules/, registered in rules/index.ts. */
import type { Config, Severity } from '../config/config';
import type { Migration, Statement } from '../migration/migration';
import type { FileSystem } from '../migration/model';
import type { Range } from '../sql/positions';
import type { Facts } from '../analysis/facts';

export interface Rule {
  id: string;
  defaultSeverity: Severity;
  /** One line for the rule table and the SARIF rule list. */
  description: string;
  check(context: RuleContext): void;
}

/** An edit of one file; `create` makes the file first (a new rollback file). */
export interface FileEdit {
  path: string;
  range: Range;
  newText: string;
  create?: boolean;
}

export interface Fix {
  title: string;
  edits: FileEdit[];
  preferred?: boolean;
}

export interface Report {
  message: string;
  /** The statement the finding is about: suppressions and "ignore" fixes attach to it. */
  statement?: Statement;
  /** Offsets in the linted file; defaults to the statement, or the first line for file-level findings. */
  start?: number;
  end?: number;
  /** Quick fixes, built only when asked for (the editor asks; the CLI does not). */
  fixes?: () => Fix[];
}

export interface RuleContext {
  readonly migration: Migration;
  readonly config: Config;
  readonly facts: Facts;
  /** The files around the migration (the editor's open documents over the disk), for folder-level rules. */
  readonly fs: FileSystem;
  report(report: Report): void;
}
