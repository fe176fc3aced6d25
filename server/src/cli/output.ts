/** Output formats of `safemig check`. */
import type { Finding } from '../lint/lint';
import { formatGithub, formatSarif } from './sarif';

export interface FileReport {
  path: string;
  convention: string;
  findings: Finding[];
}

export type Formatter = (reports: FileReport[]) => string;

/** Compiler style: `path:line:col severity rule message`, 1-based line and column. */
export const formatText: Formatter = (reports) => {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const report of reports) {
    for (const f of report.findings) {
      lines.push(`${report.path}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule} ${f.message}`);
      if (f.severity === 'error') errors++;
      else if (f.severity === 'warning') warnings++;
      else infos++;
    }
  }
  const files = `${reports.length} file${reports.length === 1 ? '' : 's'}`;
  lines.push(`${files} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info`);
  return lines.join('\n') + '\n';
};

/** The LSP-shaped JSON document: 0-based lines, UTF-16 characters. */
export const formatJson: Formatter = (reports) =>
  JSON.stringify({
    files: reports.map((r) => ({
      path: r.path,
      convention: r.convention,
      diagnostics: r.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, range: f.range })),
    })),
  }) + '\n';

export const FORMATTERS: Record<string, Formatter> = { text: formatText, json: formatJson, sarif: formatSarif, github: formatGithub };
