/**
 * Findings the engine itself makes, about suppression comments and about files it did not
 * analyse. Each is declared here once, like a rule's meta: its ID (stable: config, suppressions
 * and outputs use it), default severity, description and message templates. Code that makes or
 * names one imports its ID from here.
 */
import type { RuleMeta } from '../rules/rule';

export const UNUSED_SUPPRESSION = 'unused-suppression';
export const UNKNOWN_SUPPRESSION_RULE = 'unknown-suppression-rule';
export const FILE_TOO_LARGE = 'file-too-large';
export const UNREADABLE_FILE = 'unreadable-file';
export const INTERNAL_ERROR = 'internal-error';

export const ENGINE_FINDINGS: readonly RuleMeta[] = [
  {
    id: UNUSED_SUPPRESSION,
    defaultSeverity: 'info',
    description: 'A safemig-ignore comment that silences nothing.',
    messages: {
      nextStatement: 'This safemig-ignore of "{{rule}}" silences nothing on the next statement: remove it.',
      file: 'This safemig-ignore of "{{rule}}" silences nothing in this file: remove it.',
    },
  },
  {
    id: UNKNOWN_SUPPRESSION_RULE,
    defaultSeverity: 'info',
    description: 'A safemig-ignore comment naming no rule or an unknown rule ID.',
    messages: {
      noRules: 'safemig-ignore needs a list of rule IDs, e.g. `-- safemig-ignore drop-column: reason`',
      unknownRule: 'Unknown rule ID "{{rule}}" in safemig-ignore.',
    },
  },
  {
    id: FILE_TOO_LARGE,
    defaultSeverity: 'warning',
    description: 'A file over the 2 MB analysis limit, which was not checked.',
    messages: { tooLarge: "Not checked: this file is {{size}}, over safemig's limit of {{limit}} MB for one migration." },
    help: { tooLarge: 'Split it into smaller migrations.' },
  },
  {
    id: UNREADABLE_FILE,
    defaultSeverity: 'error',
    description: 'A file that cannot be read, or is not UTF-8 text, so it was not checked.',
    messages: { unreadable: 'Not checked: {{problem}}.' },
  },
  {
    id: INTERNAL_ERROR,
    defaultSeverity: 'error',
    description: 'A file safemig failed on (a bug in safemig), so it was not checked.',
    // One message: that it is a bug to report belongs in the diagnostic itself.
    messages: { failed: 'Not checked: safemig failed on this file ({{error}}). This is a bug in safemig: please report it with the file.' },
  },
];
