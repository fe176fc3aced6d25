/** `--format json`: one JSON document for tools; its shape is a contract (byte-identical across versions). */
import { fullMessage } from '../../lint/lint';
import type { Format } from './format';

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
