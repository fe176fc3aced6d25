/** `--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../../config/config';
import { ENGINE_RULES, RULES, ruleDocUrl } from '../../rules';
import { Finding, fullMessage } from '../../lint/lint';
import type { Format } from './format';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * One SARIF run: every rule (with its doc as helpUri), every finding with a 1-based region.
 * Columns count UTF-16 code units, as the engine does; endColumn is the column after the region.
 * Written as `JSON.stringify(sarif, null, 2)` would: the run around its results, then each result.
 */
export const sarifFormat: Format = {
  get head() {
    return sarifAround().head;
  },
  separator: ',',
  items: (report) => report.findings.map((f) => `\n${RESULT_INDENT}${JSON.stringify(resultOf(report.path, f), null, 2).replace(/\n/g, `\n${RESULT_INDENT}`)}`),
  tail: (_totals, empty) => `${empty ? '' : `\n${RESULT_INDENT.slice(2)}`}${sarifAround().tail}`,
};

let around: { head: string; tail: string } | undefined;

/** Results sit in `runs[0].results`, four levels deep. */
const RESULT_INDENT = ' '.repeat(8);
const RESULTS_MARK = '"results": []';

/** The SARIF document without results, split where they go; built once, for the head and the tail. */
function sarifAround(): { head: string; tail: string } {
  if (around) return around;
  const rules = [...RULES, ...ENGINE_RULES];
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'safemig',
            informationUri: 'https://github.com/safemig/safemig',
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              helpUri: ruleDocUrl(r.id),
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(process.cwd() + '/').toString() } },
        results: [],
      },
    ],
  };
  const text = JSON.stringify(sarif, null, 2) + '\n';
  const at = text.lastIndexOf(RESULTS_MARK) + RESULTS_MARK.length - 1;
  around = { head: text.slice(0, at), tail: text.slice(at) };
  return around;
}

let ruleIndex: Map<string, number> | undefined;

function resultOf(path: string, f: Finding) {
  ruleIndex ??= new Map([...RULES, ...ENGINE_RULES].map((r, i) => [r.id, i]));
  return {
    ruleId: f.rule,
    ...(ruleIndex.has(f.rule) && { ruleIndex: ruleIndex.get(f.rule) }),
    level: LEVEL[f.severity],
    message: { text: fullMessage(f) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactOf(path),
          region: {
            startLine: f.range.start.line + 1,
            startColumn: f.range.start.character + 1,
            endLine: f.range.end.line + 1,
            endColumn: f.range.end.character + 1,
          },
        },
      },
    ],
  };
}

/** A path as SARIF wants it: relative to the checkout (`%SRCROOT%`), or a file URI. */
function artifactOf(path: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).toString() };
  const relative = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return { uri: relative.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}
