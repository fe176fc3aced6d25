/**
 * `--format markdown`: a pull-request comment. A summary table first (so the whole report is
 * held until the last file is linted), then a table of findings per file, each rule linked to
 * its doc. The first line is an HTML comment that sticky-comment actions find the comment by.
 */
import type { Severity } from '../../config/config';
import { ruleDocUrl } from '../../rules';
import { fullMessage } from '../../lint/lint';
import type { Format, Totals } from './format';

export const MARKDOWN_MARKER = '<!-- safemig -->';

const SEVERITY: Record<Severity, string> = { error: '🛑 error', warning: '⚠️ warning', info: 'ℹ️ info' };

export const markdownFormat: Format = {
  head: '',
  separator: '',
  items: (report) => {
    if (report.findings.length === 0) return [];
    const rows = report.findings.map(
      (f) => `| ${f.range.start.line + 1}:${f.range.start.character + 1} | ${SEVERITY[f.severity]} | [${f.rule}](${ruleDocUrl(f.rule)}) | ${inline(fullMessage(f))} |\n`,
    );
    return [`\n### ${inline(report.path)}\n\n| Line | Severity | Rule | Message |\n| ---: | --- | --- | --- |\n${rows.join('')}`];
  },
  summary: (totals) => `${MARKDOWN_MARKER}\n## safemig: ${verdict(totals)}\n\n| Files | Errors | Warnings | Info |\n| ---: | ---: | ---: | ---: |\n| ${totals.files} | ${totals.errors} | ${totals.warnings} | ${totals.infos} |\n`,
  tail: () => '',
};

function verdict(t: Totals): string {
  if (t.errors > 0) return 'migrations need changes';
  if (t.warnings > 0 || t.infos > 0) return 'migrations checked, with warnings';
  return 'no problems found';
}

/**
 * Text (a message, a path: from the repository) shown as itself in a table cell: Markdown and
 * HTML characters escaped, so that a file or an identifier cannot add links, images or markup.
 */
function inline(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/[\\`*_[\]<>|#!~()]/g, '\\$&')
    .replace(/\r?\n/g, ' ');
}
