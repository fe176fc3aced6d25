/**
 * Output formats of `safemig check`. A format is written item by item as files are linted: each
 * thread formats the files it linted, and the report is written in the order of the file list
 * while the rest is still being linted, rather than gathered and formatted at the end.
 */
import { Finding, fullMessage } from '../lint/lint';
import { githubFormat, sarifFormat } from './sarif';

export interface FileReport {
  path: string;
  convention: string;
  findings: Finding[];
}

/** Findings counted by severity, for the summary and the exit code. */
export interface Totals {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
}

export interface Format {
  /** Text before the first item. */
  head: string;
  /** Text between two items. */
  separator: string;
  /** The items one file's report adds (a JSON object, a line per finding …). */
  items(report: FileReport): string[];
  /** Text after the last item; `empty` when there was none. */
  tail(totals: Totals, empty: boolean): string;
}

export const noTotals = (): Totals => ({ files: 0, errors: 0, warnings: 0, infos: 0 });

/** Counts one file and its findings into `into`. */
export function countReport(into: Totals, report: FileReport): void {
  into.files++;
  for (const f of report.findings) {
    if (f.severity === 'error') into.errors++;
    else if (f.severity === 'warning') into.warnings++;
    else into.infos++;
  }
}

export function addTotals(into: Totals, more: Totals): void {
  into.files += more.files;
  into.errors += more.errors;
  into.warnings += more.warnings;
  into.infos += more.infos;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Compiler style: `path:line:col severity rule message`, 1-based line and column. */
export const textFormat: Format = {
  head: '',
  separator: '',
  items: (report) => report.findings.map((f) => `${report.path}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.rule} ${fullMessage(f)}\n`),
  tail: (t) => `${plural(t.files, 'file')} checked: ${plural(t.errors, 'error')}, ${plural(t.warnings, 'warning')}, ${t.infos} info\n`,
};

/** The LSP-shaped JSON document: 0-based lines, UTF-16 characters. */
export const jsonFormat: Format = {
  head: '{"files":[',
  separator: ',',
  items: (r) => [
    JSON.stringify({
      path: r.path,
      convention: r.convention,
      diagnostics: r.findings.map((f) => ({ rule: f.rule, severity: f.severity, message: fullMessage(f), range: f.range })),
    }),
  ],
  tail: () => ']}\n',
};

export const FORMATS: Record<string, Format> = { text: textFormat, json: jsonFormat, sarif: sarifFormat, github: githubFormat };
