/**
 * A small PostgreSQL lexer: enough to split a file into statements, to find clause positions the
 * parse tree does not carry, and to know where comments and strings are. PostgreSQL's parser stays
 * the authority on syntax; this only has to agree with it on where tokens start and end.
 * Offsets are UTF-16 indices into the text given.
 */

export type TokenKind =
  | 'word' // keyword or unquoted identifier
  | 'quoted-ident' // "Name"
  | 'string' // 'x', E'x', B'..', X'..', U&'..', $tag$..$tag$
  | 'number'
  | 'param' // $1
  | 'op' // operators
  | 'punct' // ( ) , ; [ ] . :
  | 'comment' // -- … or /* … */
  | 'meta'; // a psql meta-command line (\set, \i, …)

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Upper-cased text for words, the text itself otherwise. */
  value: string;
  /** Set when a string, quoted identifier or block comment runs to the end of the text. */
  unterminated?: boolean;
}

const isWordStart = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
const isWordPart = (c: number) => isWordStart(c) || (c >= 48 && c <= 57) || c === 36;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
const OP_CHARS = '+-*/<>=~!@#%^&|`?';

export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let lineStart = true; // only whitespace since the last line break
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (c === 10) lineStart = true;
      i++;
      continue;
    }
    const start = i;
    const atLineStart = lineStart;
    lineStart = false;
    // psql meta-command: a backslash as the first thing on a line, up to the end of the line.
    if (c === 92 /* \ */ && atLineStart) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      tokens.push({ kind: 'meta', start, end: i, value: text.slice(start, i) });
      continue;
    }
    if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      tokens.push({ kind: 'comment', start, end: i, value: text.slice(start, i) });
      continue;
    }
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) { depth++; i += 2; }
        else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) { depth--; i += 2; }
        else i++;
      }
      tokens.push({ kind: 'comment', start, end: i, value: text.slice(start, i), ...(depth > 0 && { unterminated: true }) });
      continue;
    }
    if (c === 39 /* ' */) {
      i = quoted(text, i, 39, false);
      tokens.push(stringToken(text, start, i));
      continue;
    }
    if (c === 34 /* " */) {
      i = quoted(text, i, 34, false);
      tokens.push({ kind: 'quoted-ident', start, end: i, value: text.slice(start, i), ...(unterminatedQuote(text, start, i, 34) && { unterminated: true }) });
      continue;
    }
    if (c === 36 /* $ */) {
      const next = text.charCodeAt(i + 1);
      if (isDigit(next)) {
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        tokens.push({ kind: 'param', start, end: i, value: text.slice(start, i) });
        continue;
      }
      const tagEnd = dollarTagEnd(text, i);
      if (tagEnd > 0) {
        const tag = text.slice(i, tagEnd);
        const close = text.indexOf(tag, tagEnd);
        i = close < 0 ? n : close + tag.length;
        tokens.push({ kind: 'string', start, end: i, value: text.slice(start, i), ...(close < 0 && { unterminated: true }) });
        continue;
      }
    }
    if (isWordStart(c)) {
      // Prefixed strings: E'..', B'..', X'..', N'..', U&'..', U&"..".
      const upper = c & ~32;
      if (text.charCodeAt(i + 1) === 39 && (upper === 69 || upper === 66 || upper === 88 || upper === 78)) {
        i = quoted(text, i + 1, 39, upper === 69);
        tokens.push(stringToken(text, start, i));
        continue;
      }
      if (upper === 85 && text.charCodeAt(i + 1) === 38 && (text.charCodeAt(i + 2) === 39 || text.charCodeAt(i + 2) === 34)) {
        const q = text.charCodeAt(i + 2);
        i = quoted(text, i + 2, q, false);
        tokens.push(q === 39 ? stringToken(text, start, i) : { kind: 'quoted-ident', start, end: i, value: text.slice(start, i) });
        continue;
      }
      i++;
      while (i < n && isWordPart(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'word', start, end: i, value: text.slice(start, i).toUpperCase() });
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isDigit(d) || d === 46 || d === 95 || ((d === 101 || d === 69) && /[0-9+-]/.test(text[i + 1] ?? ''))) {
          i += d === 101 || d === 69 ? 2 : 1;
        } else if (isWordPart(d) && (d & ~32) === 88) i++;
        else break;
      }
      tokens.push({ kind: 'number', start, end: i, value: text.slice(start, i) });
      continue;
    }
    if (OP_CHARS.includes(text[i])) {
      i++;
      while (i < n && OP_CHARS.includes(text[i]) && !(text[i] === '-' && text[i + 1] === '-') && !(text[i] === '/' && text[i + 1] === '*')) i++;
      tokens.push({ kind: 'op', start, end: i, value: text.slice(start, i) });
      continue;
    }
    if (c === 58 /* : */ && text.charCodeAt(i + 1) === 58) {
      i += 2;
      tokens.push({ kind: 'op', start, end: i, value: '::' });
      continue;
    }
    i++;
    tokens.push({ kind: 'punct', start, end: i, value: text[start] });
  }
  return tokens;
}

/** End offset (exclusive) of a quoted literal starting at `open`. Doubled quotes escape. */
function quoted(text: string, open: number, quote: number, backslashEscapes: boolean): number {
  let i = open + 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (backslashEscapes && c === 92) { i += 2; continue; }
    if (c === quote) {
      if (text.charCodeAt(i + 1) === quote) { i += 2; continue; }
      return i + 1;
    }
    i++;
  }
  return n;
}

function unterminatedQuote(text: string, start: number, end: number, quote: number): boolean {
  return end === text.length && (end - start < 2 || text.charCodeAt(end - 1) !== quote);
}

function stringToken(text: string, start: number, end: number): Token {
  const token: Token = { kind: 'string', start, end, value: text.slice(start, end) };
  if (unterminatedQuote(text, start, end, 39)) token.unterminated = true;
  return token;
}

/** For `$tag$` at `i`, the offset just after the opening delimiter; 0 when `$` starts no tag. */
function dollarTagEnd(text: string, i: number): number {
  let j = i + 1;
  const first = text.charCodeAt(j);
  if (first === 36) return j + 1; // $$
  if (!isWordStart(first)) return 0;
  j++;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 36) return j + 1;
    if (!(isWordStart(c) || isDigit(c))) return 0;
    j++;
  }
  return 0;
}

/** Tokens that carry meaning for SQL (no comments, no psql meta-commands). */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'comment' && t.kind !== 'meta');
}
