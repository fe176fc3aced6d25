/**
 * The engine's side of TypeScript / JavaScript migrations: rules run on the SQL read from the
 * strings (migration.ts), so here their fixes are made inside those strings (escaped for the
 * quoting), `// safemig-ignore rule: reason` comments are read, and the "ignore" fixes write them.
 */
import { Migration, pieceOf, Statement, statementsAt } from '../migration/migration';
import type { Fix, FileEdit } from '../rules/rule';
import { sourceEditOf } from '../typescript/edit';
import { EmbeddedSql, PLACEHOLDER_PREFIX } from '../typescript/embedded-sql';
import { ignoreCommentEdit, ignoreComments } from '../typescript/ignore-comments';
import type { Suppression } from './suppressions';

/** `safemig-ignore rule-a, rule-b: reason` / `safemig-ignore-file rule: reason`, after the `//`. */
const PATTERN = /^\s*safemig-ignore(-file)?(?:\s+([^:]*))?(?::.*)?$/;

/** A finding whose text names a placeholder (`${table}`): the rule needed a name that is not known. */
export function namesPlaceholder(finding: { message: string; help?: string }): boolean {
  return finding.message.toLowerCase().includes(PLACEHOLDER_PREFIX) || (finding.help?.toLowerCase().includes(PLACEHOLDER_PREFIX) ?? false);
}

/** The `// safemig-ignore…` comments of a TS/JS migration, each with the statements it silences. */
export function embeddedSuppressions(migration: Migration): Suppression[] {
  const embedded = migration.convention.embedded;
  if (!embedded || !migration.text.includes('safemig-ignore')) return [];
  const out: Suppression[] = [];
  for (const comment of ignoreComments(embedded)) {
    const match = PATTERN.exec(comment.text);
    if (!match) continue;
    const list = match[2] ?? '';
    const textStart = comment.start + 2;
    const listStart = textStart + comment.text.indexOf(list, comment.text.indexOf('safemig-ignore') + 14);
    const rules: Suppression['rules'] = [];
    for (const item of list.matchAll(/[^,\s]+/g)) rules.push({ id: item[0], start: listStart + item.index!, end: listStart + item.index! + item[0].length });
    const fileWide = match[1] !== undefined;
    const silenced = fileWide ? [] : migration.statements.filter((s) => comment.pieces.includes(pieceOf(s)!));
    out.push({ fileWide, rules, start: comment.start, end: comment.end, statement: silenced[0], also: silenced.slice(1) });
  }
  return out;
}

/**
 * A rule's fix made inside the strings: each edit of this file must fall inside one string of the
 * SQL (a builder call or code around it cannot be edited as SQL); otherwise there is no fix.
 */
export function embeddedFix(migration: Migration, fix: Fix): Fix | undefined {
  const edits: FileEdit[] = [];
  for (const edit of fix.edits) {
    if (edit.path !== migration.path || edit.create) return undefined;
    // A statement added into a string would go to the database in one query with the others:
    // an implicit transaction, where CONCURRENTLY fails. Such a fix is not made here.
    if (edit.newText.includes(';')) return undefined;
    const start = migration.lines.offsetAt(edit.range.start);
    const end = migration.lines.offsetAt(edit.range.end);
    const made = editInString(migration, start, end, edit.newText);
    if (!made) return undefined;
    edits.push({ path: edit.path, range: migration.lines.rangeOf(made.start, made.end), newText: made.newText });
  }
  return { ...fix, edits };
}

function editInString(migration: Migration, start: number, end: number, text: string): { start: number; end: number; newText: string } | undefined {
  for (const piece of piecesAt(migration, start)) {
    const from = piece.sqlOffsetOf(start);
    const to = end === start ? from : piece.sqlOffsetOf(end);
    if (from === undefined || to === undefined || to < from) continue;
    const edit = sourceEditOf(piece, from, to, text);
    if (edit) return edit;
  }
  return undefined;
}

/** The pieces of SQL whose statements hold a file offset. */
function piecesAt(migration: Migration, offset: number): EmbeddedSql[] {
  const out = new Set<EmbeddedSql>();
  for (const s of statementsAt(migration.statements, offset)) {
    const piece = pieceOf(s);
    if (piece) out.add(piece);
  }
  for (const piece of migration.convention.embedded?.sql ?? []) if (piece.call.start <= offset && offset <= piece.call.end) out.add(piece);
  return [...out];
}

/** "Ignore for this statement" (a `//` comment on the line before the call) and "for this file". */
export function embeddedIgnoreFixes(migration: Migration, id: string, statement: Statement | undefined): Fix[] {
  const { lines, path, text } = migration;
  const fixes: Fix[] = [];
  const piece = statement ? pieceOf(statement) : undefined;
  if (piece) {
    const edit = ignoreCommentEdit(text, piece, id, '<reason>');
    fixes.push({ title: `Ignore ${id} for this statement`, edits: [{ path, range: lines.rangeOf(edit.start, edit.end), newText: edit.newText }] });
  }
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // After a `#!` line, which must stay first.
  const at = text.startsWith('#!') ? lines.lineStart(1) : 0;
  const position = lines.positionAt(at);
  fixes.push({ title: `Ignore ${id} for this file`, edits: [{ path, range: { start: position, end: position }, newText: `// safemig-ignore-file ${id}: <reason>${eol}` }] });
  return fixes;
}
