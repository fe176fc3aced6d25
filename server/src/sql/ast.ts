/** Small helpers for reading PostgreSQL parse trees and locating clauses in a statement. */
import type { Node, RangeVar } from 'libpg-query';
import type { Token } from './lexer';
import type { SqlStatement } from './parse';

type KeysOfUnion<T> = T extends unknown ? keyof T : never;
export type NodeKind = KeysOfUnion<Node>;
export type NodeOf<K extends NodeKind> = Extract<Node, Record<K, unknown>> extends infer N
  ? N extends Record<K, infer B> ? B : never
  : never;

/** The body of `node` when it is of `kind` (`nodeOf(cmd, 'AlterTableCmd')`). */
export function nodeOf<K extends NodeKind>(node: Node | undefined, kind: K): NodeOf<K> | undefined {
  // A property read rather than `in`: a node's only key is its kind, and a read is the cheaper test.
  return (node as Record<K, NodeOf<K>> | undefined)?.[kind];
}

/**
 * The body of a statement's tree when the statement is of `kind` (`treeOf(statement, 'DropStmt')`).
 * The kind is checked first, so the trees of other statements are never decoded.
 */
export function treeOf<K extends NodeKind>(statement: Pick<SqlStatement, 'kind' | 'node'> | undefined, kind: K): NodeOf<K> | undefined {
  return statement?.kind === kind ? nodeOf(statement.node, kind) : undefined;
}

/**
 * Visits every object of a parse tree (or any part of one), parents before children and in the
 * order of their fields, as a recursive walk would; stops when `visit` returns true. It keeps its
 * own stack: PostgreSQL accepts expressions thousands of levels deep (`a || b || …`), more than
 * the call stack holds.
 */
export function walkTree(root: unknown, visit: (node: Record<string, unknown>) => boolean | void): void {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    const children = Array.isArray(value) ? value : Object.values(value);
    if (!Array.isArray(value) && visit(value as Record<string, unknown>)) return;
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
}

/** A table's identity: `schema.name`, with `public` left out, as the parser folded the case. */
export function tableKey(relation: RangeVar | undefined): string {
  if (!relation?.relname) return '';
  return keyOfNames(relation.schemaname ? [relation.schemaname, relation.relname] : [relation.relname]);
}

/** The same identity from a parse tree's list of name parts (`DROP TABLE public.users`). */
export function keyOfNames(parts: string[]): string {
  return parts.length === 2 && parts[0] === 'public' ? parts[1] : parts.join('.');
}

/** Normalises a user-written table name (config, globs) the same way. */
export function normaliseTableName(name: string): string {
  const parts = name.split('.').map((p) => (p.startsWith('"') && p.endsWith('"') ? p.slice(1, -1) : p.toLowerCase()));
  if (parts.length === 2 && parts[0] === 'public') return parts[1];
  return parts.join('.');
}

/** The string values of a list of `String` nodes (qualified names, type names). */
export function names(list: Node[] | undefined): string[] {
  return (list ?? []).map((n) => nodeOf(n, 'String')?.sval ?? '').filter((s) => s !== '');
}

/** Quotes an identifier when PostgreSQL needs it to keep its case or characters. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name.toUpperCase()) ? name : `"${name.replace(/"/g, '""')}"`;
}

export function qualifiedName(relation: RangeVar | undefined): string {
  if (!relation?.relname) return '';
  return relation.schemaname ? `${quoteIdent(relation.schemaname)}.${quoteIdent(relation.relname)}` : quoteIdent(relation.relname);
}

const RESERVED = new Set(
  'ALL ANALYSE ANALYZE AND ANY ARRAY AS ASC ASYMMETRIC BOTH CASE CAST CHECK COLLATE COLUMN CONSTRAINT CREATE CURRENT_CATALOG CURRENT_DATE CURRENT_ROLE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER DEFAULT DEFERRABLE DESC DISTINCT DO ELSE END EXCEPT FALSE FETCH FOR FOREIGN FROM GRANT GROUP HAVING IN INITIALLY INTERSECT INTO LATERAL LEADING LIMIT LOCALTIME LOCALTIMESTAMP NOT NULL OFFSET ON ONLY OR ORDER PLACING PRIMARY REFERENCES RETURNING SELECT SESSION_USER SOME SYMMETRIC TABLE THEN TO TRAILING TRUE UNION UNIQUE USER USING VARIADIC WHEN WHERE WINDOW WITH'.split(' '),
);

/**
 * Finds a run of words in a statement (`['DROP', 'COLUMN']`), starting the search at token index
 * `from`; returns the token index of the first word or -1. Words match upper-cased keywords.
 */
export function findWords(tokens: Token[], words: string[], from = 0): number {
  outer: for (let i = from; i <= tokens.length - words.length; i++) {
    for (let j = 0; j < words.length; j++) if (tokens[i + j].kind !== 'word' || tokens[i + j].value !== words[j]) continue outer;
    return i;
  }
  return -1;
}

/** Identifier text as PostgreSQL folds it: unquoted lower-cased, quoted kept. */
export function identValue(token: Token | undefined): string | undefined {
  if (!token) return undefined;
  if (token.kind === 'word') return token.value.toLowerCase();
  if (token.kind === 'quoted-ident' && token.value.startsWith('"')) return token.value.slice(1, -1).replace(/""/g, '"');
  return undefined;
}

/**
 * The tokens of each top-level comma-separated item after `fromIndex` (for ALTER TABLE's list of
 * actions), in order.
 */
export function topLevelItems(tokens: Token[], fromIndex: number): Token[][] {
  const items: Token[][] = [[]];
  let depth = 0;
  for (let i = fromIndex; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.value === '(' || t.value === '[') depth++;
    else if (t.value === ')' || t.value === ']') depth--;
    if (t.value === ',' && depth === 0 && t.kind === 'punct') items.push([]);
    else items[items.length - 1].push(t);
  }
  return items.filter((item) => item.length > 0);
}

/** An `ALTER TABLE` action with the span of its clause in the file. */
export interface AlterAction<Cmd> {
  cmd: Cmd;
  start: number;
  end: number;
}

/**
 * Pairs each command of an `ALTER TABLE` with its clause's span. The parse tree gives the
 * commands but no positions for them; the tokens after the table name are the same list.
 */
export function alterActions<Cmd>(statement: SqlStatement, cmds: Cmd[], relationLocation: number | undefined): AlterAction<Cmd>[] {
  const tokens = statement.sqlTokens;
  const at = statement.offsetOf(relationLocation);
  let i = tokens.findIndex((t) => t.start >= at);
  if (i < 0) return cmds.map((cmd) => ({ cmd, start: statement.start, end: statement.end }));
  // Skip the (qualified) table name and an optional `*`.
  i++;
  while (i + 1 < tokens.length && tokens[i].value === '.') i += 2;
  if (tokens[i]?.value === '*') i++;
  const items = topLevelItems(tokens, i);
  return cmds.map((cmd, k) => {
    const item = items[k];
    return item ? { cmd, start: item[0].start, end: item[item.length - 1].end } : { cmd, start: statement.start, end: statement.end };
  });
}

/** End offset of the (qualified) name that starts at parse-tree `location`. */
export function nameEnd(statement: SqlStatement, location: number | undefined): number {
  const tokens = statement.sqlTokens;
  const at = statement.offsetOf(location);
  let i = tokens.findIndex((t) => t.start >= at);
  if (i < 0) return statement.end;
  while (i + 2 < tokens.length && tokens[i + 1].value === '.' && tokens[i + 1].kind === 'punct') i += 2;
  return tokens[i].end;
}
