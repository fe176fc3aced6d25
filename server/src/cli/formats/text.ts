/** The default format: compiler-style lines, then a summary. */
import { fullMessage } from '../../lint/lint';
import { Format, plural } from './format';

/** Compiler style: `path:line:col severity rule message`, 1-based line and column. */
export const textFormat: Format = {
  head: '',
  separator: '',
  items: (report) => report.findings.map((f) => `${report.path}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule} ${fullMessage(f)}\n`),
  tail: (t) => `${plural(t.files, 'file')} checked: ${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}, ${t.infos} info\n`,
};
