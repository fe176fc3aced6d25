/** Applies an LSP WorkspaceEdit to in-memory texts keyed by URI (files it creates start empty). */
import type { WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LineIndex } from '../../server/src/sql/positions';

export function applyWorkspaceEdit(edit: WorkspaceEdit, texts: Record<string, string>): Record<string, string> {
  const out = { ...texts };
  const apply = (uri: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]) => {
    let text = out[uri] ?? '';
    const lines = new LineIndex(text);
    const spans = edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText }));
    for (const s of spans.sort((a, b) => b.start - a.start)) text = text.slice(0, s.start) + s.newText + text.slice(s.end);
    out[uri] = text;
  };
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) apply(uri, edits);
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind === 'create') out[change.uri] ??= '';
      continue;
    }
    apply(change.textDocument.uri, change.edits as never);
  }
  return out;
}
