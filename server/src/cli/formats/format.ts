/**
 * What an output format of `safemig check` is. A format is written item by item as files are
 * linted: each thread formats the files it linted, and the report is written in the order of the
 * file list while the rest is still being linted, rather than gathered and formatted at the end.
 */
import type { Finding } from '../../lint/lint';

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
  /**
   * A summary written before the items (after the head): the whole report is then held until the
   * last file is linted, since the summary needs every file's findings counted.
   */
  summary?(totals: Totals): string;
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

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
