/** What a rule is and what it sees. One file per rule under rules/, registered in rules/index.ts. */
import type { Config, Severity } from '../config/config';
import type { Migration, Statement } from '../migration/migration';
import type { FileSystem } from '../migration/model';
import type { Range } from '../sql/positions';
import type { Facts } from '../analysis/facts';
import type { ShadowFile } from '../shadow/findings';

/** Values filling a message template's `{{name}}` placeholders. */
export type MessageData = Readonly<Record<string, string | number>>;

export interface Rule {
  id: string;
  defaultSeverity: Severity;
  /** One line for the rule table and the SARIF rule list. */
  description: string;
  /**
   * The problem, by message ID: templates whose `{{name}}` placeholders a report's `data` fills.
   * This is the diagnostic's message.
   */
  messages: Readonly<Record<string, string>>;
  /**
   * What to do instead, by message ID (same placeholders; a message without one has no help):
   * shown on hover and as related information in the editor, after the problem in the CLI.
   */
  help?: Readonly<Record<string, string>>;
  /** The rule offers quick fixes of its own (beyond "ignore"): the rule tester then checks each one's output. */
  fixable?: boolean;
  /**
   * The rule reports what the shadow schema found (`safemig check --shadow`): it runs only when
   * the shadow ran for the file, and a suppression of it is not "unused" when the shadow did not run.
   */
  shadow?: boolean;
  check(context: RuleContext): void;
}

/** What a rule declares about itself, and what each engine finding (lint/engine-findings.ts) declares too. */
export type RuleMeta = Pick<Rule, 'id' | 'defaultSeverity' | 'description' | 'messages' | 'help' | 'shadow'>;

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
  /** Key of the rule's `messages` (and `help`). */
  messageId: string;
  data?: MessageData;
  /** The statement the finding is about: suppressions and "ignore" fixes attach to it. */
  statement?: Statement;
  /** Offsets in the linted file; defaults to the statement, or the first line for file-level findings. */
  start?: number;
  end?: number;
  /**
   * This finding's severity when the rule's is not configured, where the default depends on the
   * case (a statement that fails on the configured PostgreSQL version is an error).
   */
  severity?: Severity;
  /** Quick fixes, built only when asked for (the editor asks; the CLI does not). */
  fixes?: () => Fix[];
}

export interface RuleContext {
  readonly migration: Migration;
  readonly config: Config;
  readonly facts: Facts;
  /** The files around the migration (the editor's open documents over the disk), for folder-level rules. */
  readonly fs: FileSystem;
  /** What the shadow schema found for this file; undefined when it did not run. */
  readonly shadow?: ShadowFile;
  report(report: Report): void;
}
