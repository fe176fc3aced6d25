/** Engine findings and fixes as LSP diagnostics and code actions. */
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  CreateFile,
  Diagnostic,
  DiagnosticSeverity,
  TextDocumentEdit,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import type { Finding } from '../lint/lint';
import { ruleDocUrl } from '../rules';
import type { Fix } from '../rules/rule';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

/**
 * Which finding of which document version a diagnostic shows. Its fixes are built only when a
 * code action asks, from the lint result the server keeps per version: diagnostics stay small,
 * and typing builds no fix nobody looks at.
 */
export interface DiagnosticData {
  version: number;
  index: number;
}

/** The diagnostic's message is the problem; what to do instead is related information on the same range (and in the hover). */
export function toDiagnostic(finding: Finding, index: number, version: number, uri?: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    codeDescription: { href: ruleDocUrl(finding.rule) },
    source: 'safemig',
    message: finding.message,
    data: { version, index } satisfies DiagnosticData,
  };
  if (finding.help !== undefined && uri !== undefined) diagnostic.relatedInformation = [{ location: { uri, range: finding.range }, message: finding.help }];
  return diagnostic;
}

/** VS Code shows at most this many problems of a file: sending more only slows the editor down. */
export const MAX_DIAGNOSTICS = 1000;

const RANK = { error: 0, warning: 1, info: 2 } as const;

/**
 * A document's findings as diagnostics: all of them, or, past MAX_DIAGNOSTICS, the most severe
 * (errors first, then in file order) and one more that says how many are left out.
 */
export function toDiagnostics(findings: readonly Finding[], version: number, uri?: string): Diagnostic[] {
  const indexes = findings.map((_, i) => i);
  if (findings.length <= MAX_DIAGNOSTICS) return indexes.map((i) => toDiagnostic(findings[i], i, version, uri));
  const shown = indexes
    .sort((a, b) => RANK[findings[a].severity] - RANK[findings[b].severity] || a - b)
    .slice(0, MAX_DIAGNOSTICS - 1)
    .sort((a, b) => a - b);
  const at = { line: 0, character: 0 };
  const more: Diagnostic = {
    range: { start: at, end: at },
    severity: DiagnosticSeverity.Information,
    source: 'safemig',
    message: `${findings.length - shown.length} more findings are not shown (the editor shows ${MAX_DIAGNOSTICS} per file): run \`safemig check\` on this file to see them all.`,
  };
  return [...shown.map((i) => toDiagnostic(findings[i], i, version, uri)), more];
}

/** The finding a diagnostic of ours shows, from the findings of the document's current version. */
export function findingOf(diagnostic: Diagnostic, version: number, findings: readonly Finding[]): Finding | undefined {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  if (diagnostic.source !== 'safemig' || data?.version !== version || data.index === undefined) return undefined;
  const finding = findings[data.index];
  return finding && finding.rule === diagnostic.code && finding.message === diagnostic.message ? finding : undefined;
}

export function toCodeActions(diagnostic: Diagnostic, finding: Finding): CodeAction[] {
  return finding.fixes.map((fix) => ({
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.preferred,
    edit: toWorkspaceEdit(fix),
  }));
}

export function toWorkspaceEdit(fix: Fix): WorkspaceEdit {
  if (!fix.edits.some((e) => e.create)) {
    const changes: Record<string, TextEdit[]> = {};
    for (const edit of fix.edits) (changes[pathToFileURL(edit.path).toString()] ??= []).push({ range: edit.range, newText: edit.newText });
    return { changes };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const edit of fix.edits) {
    const uri = pathToFileURL(edit.path).toString();
    if (edit.create) documentChanges.push(CreateFile.create(uri, { ignoreIfExists: true }));
    documentChanges.push(TextDocumentEdit.create({ uri, version: null }, [{ range: edit.range, newText: edit.newText }]));
  }
  return { documentChanges };
}
