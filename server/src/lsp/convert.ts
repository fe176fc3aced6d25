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
import type { Config } from '../config/config';
import type { Finding } from '../lint/lint';
import { ruleDocUrl } from '../rules';
import type { Fix } from '../rules/rule';
import type { EditorSettings } from '../protocol';

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

export function toDiagnostic(finding: Finding, index: number, version: number): Diagnostic {
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.rule,
    codeDescription: { href: ruleDocUrl(finding.rule) },
    source: 'safemig',
    message: finding.message,
    data: { version, index } satisfies DiagnosticData,
  };
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

/** Editor settings that are set (not null) override the config file. */
export function settingsToOverrides(settings: Partial<EditorSettings> | null | undefined): Partial<Config> {
  const out: Partial<Config> = {};
  if (!settings) return out;
  if (typeof settings.pgVersion === 'number') out.pgVersion = settings.pgVersion;
  if (settings.rules && Object.keys(settings.rules).length > 0) out.rules = settings.rules;
  if (Array.isArray(settings.protectedTables)) out.protectedTables = settings.protectedTables;
  if (Array.isArray(settings.migrations)) out.migrations = settings.migrations;
  if (settings.convention && settings.convention !== 'auto') out.convention = settings.convention as Config['convention'];
  if (typeof settings.assumeInTransaction === 'boolean') out.assumeInTransaction = settings.assumeInTransaction;
  if (typeof settings.requireRollback === 'boolean') out.requireRollback = settings.requireRollback;
  return out;
}
