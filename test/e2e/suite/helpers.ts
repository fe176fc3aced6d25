// Small helpers shared by the *.e2e.ts files (bundled into each of them).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, SOURCE } from './fixtures';

/** First lint after the editor starts includes starting the language server: be generous. */
export const DIAGNOSTIC_TIMEOUT = Number(process.env.SAFEMIG_E2E_DIAGNOSTIC_TIMEOUT ?? 20_000);
/** The server restarts when .safemig.json changes. */
export const CONFIG_TIMEOUT = 20_000;

/** Polls `predicate` until it returns something truthy; rejects after `timeoutMs` with `message` and `describe()`. */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs: number,
  message = 'condition',
  describe?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const extra = describe ? `\n${describe()}` : '';
      const cause = lastError ? `\nlast error: ${String(lastError)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${extra}${cause}`);
    }
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the e2e runner must open the fixture workspace as a folder');
  return folder.uri;
}

export function fixtureUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relativePath.split('/'));
}

/** Opens a fixture file in an editor (language sql) and returns its document. */
export async function openFixture(relativePath: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** The rule id of a diagnostic: `code` is either `{ value, target }` (codeDescription) or the id itself. */
export function ruleOf(d: vscode.Diagnostic): string | undefined {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return code === undefined ? undefined : String(code);
}

export function safemigDiagnostics(uri: vscode.Uri, rule?: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === SOURCE && (rule === undefined || ruleOf(d) === rule));
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (all.length === 0) return `no diagnostics at all on ${uri.toString()}`;
  const sev = ['Error', 'Warning', 'Information', 'Hint'];
  return [`diagnostics on ${uri.toString()}:`]
    .concat(
      all.map(
        (d) =>
          `  [${d.source ?? '?'}] ${ruleOf(d) ?? '?'} ${sev[d.severity]} ` +
          `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`,
      ),
    )
    .join('\n');
}

/** Waits until `uri` carries a safemig diagnostic of `rule` (optionally matching `filter`) and returns it. */
export function waitForDiagnostic(
  uri: vscode.Uri,
  rule: string,
  timeoutMs = DIAGNOSTIC_TIMEOUT,
  filter: (d: vscode.Diagnostic) => boolean = () => true,
): Promise<vscode.Diagnostic> {
  return waitFor(
    () => safemigDiagnostics(uri, rule).find(filter),
    timeoutMs,
    `a safemig '${rule}' diagnostic`,
    () => describeDiagnostics(uri),
  );
}

/** Waits until `uri` no longer carries a safemig diagnostic of `rule`. */
export async function waitForNoDiagnostic(uri: vscode.Uri, rule: string, timeoutMs = DIAGNOSTIC_TIMEOUT): Promise<void> {
  await waitFor(
    () => safemigDiagnostics(uri, rule).length === 0,
    timeoutMs,
    `the safemig '${rule}' diagnostic to go away`,
    () => describeDiagnostics(uri),
  );
}

/** The extension under test, activated (opening a migration is what activates it). */
export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this editor`);
  await waitFor(() => ext.isActive, DIAGNOSTIC_TIMEOUT, `${EXTENSION_ID} to activate`);
  return ext;
}

/** Replaces the whole document with `text` and saves it, so later tests see the fixture unchanged. */
export async function restoreDocument(doc: vscode.TextDocument, text: string): Promise<void> {
  if (doc.getText() !== text) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    assert.ok(await vscode.workspace.applyEdit(edit), `could not restore ${doc.uri.toString()}`);
  }
  if (doc.isDirty) await doc.save();
}

/**
 * Whether the suite can answer the extension's prompts: not against an installed .vsix, whose
 * extension has a `vscode` API object of its own (the suite's bundle lies outside its folder).
 */
export const CAN_ANSWER_PROMPTS = !process.env.SAFEMIG_E2E_VSIX;

/** A warning the extension showed while `answeringWarnings` ran: its text, whether it was a modal question, its detail. */
export interface ShownWarning {
  message: string;
  modal: boolean;
  detail?: string;
}

/**
 * Runs `body` while the extension's warning messages (its modal questions among them) are
 * answered by `answer` instead of a user: undefined is Cancel / Escape. The test shares the
 * extension's `vscode` API object (its bundle lies in the extension's folder), so replacing
 * `window.showWarningMessage` here replaces it for the extension.
 */
export function answeringWarnings<T>(answer: (w: ShownWarning) => string | undefined, body: () => Thenable<T> | Promise<T>): Promise<{ result: T; shown: ShownWarning[] }> {
  return answering('showWarningMessage', answer, body);
}

/** The same for the extension's error messages. */
export function answeringErrors<T>(answer: (w: ShownWarning) => string | undefined, body: () => Thenable<T> | Promise<T>): Promise<{ result: T; shown: ShownWarning[] }> {
  return answering('showErrorMessage', answer, body);
}

/** The same for the extension's information messages (the offers that take an answer). */
export function answeringInformation<T>(answer: (w: ShownWarning) => string | undefined, body: () => Thenable<T> | Promise<T>): Promise<{ result: T; shown: ShownWarning[] }> {
  return answering('showInformationMessage', answer, body);
}

async function answering<T>(
  method: 'showWarningMessage' | 'showInformationMessage' | 'showErrorMessage',
  answer: (w: ShownWarning) => string | undefined,
  body: () => Thenable<T> | Promise<T>,
): Promise<{ result: T; shown: ShownWarning[] }> {
  const window = vscode.window as unknown as Record<typeof method, (...args: unknown[]) => Thenable<unknown>>;
  const original = window[method];
  const shown: ShownWarning[] = [];
  window[method] = (message: unknown, ...rest: unknown[]) => {
    const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as vscode.MessageOptions) : undefined;
    const w: ShownWarning = { message: String(message), modal: options?.modal === true, detail: options?.detail };
    shown.push(w);
    return Promise.resolve(answer(w));
  };
  assert.notStrictEqual(vscode.window[method], original, `window.${method} could not be replaced`);
  try {
    return { result: await body(), shown };
  } finally {
    window[method] = original;
  }
}
