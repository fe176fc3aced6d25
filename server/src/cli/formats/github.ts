/** `--format github`: GitHub Actions workflow commands, shown as annotations on the pull request's diff. */
import type { Severity } from '../../config/config';
import { fullMessage } from '../../lint/lint';
import type { Format } from './format';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** GitHub Actions workflow commands: `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`. */
export const githubFormat: Format = {
  head: '',
  separator: '',
  items: (report) =>
    report.findings.map((f) => {
      const properties = [
        `file=${escapeProperty(report.path)}`,
        `line=${f.range.start.line + 1}`,
        `col=${f.range.start.character + 1}`,
        `endLine=${f.range.end.line + 1}`,
        `endColumn=${f.range.end.character + 1}`,
        `title=${escapeProperty(`safemig ${f.rule}`)}`,
      ];
      return `::${COMMAND[f.severity]} ${properties.join(',')}::${escapeData(fullMessage(f))}\n`;
    }),
  tail: () => '',
};

/** Escaping of the runner's command parser (actions/toolkit `command.ts`). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
