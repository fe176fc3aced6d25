/** The output formats of `safemig check`, by `--format` name: one module per format, one line each here. */
import type { Format } from './format';
import { githubFormat } from './github';
import { jsonFormat } from './json';
import { markdownFormat } from './markdown';
import { sarifFormat } from './sarif';
import { textFormat } from './text';

export const FORMATS: Record<string, Format> = {
  text: textFormat,
  json: jsonFormat,
  sarif: sarifFormat,
  github: githubFormat,
  markdown: markdownFormat,
};

export { addTotals, countReport, noTotals } from './format';
export type { FileReport, Format, Totals } from './format';
