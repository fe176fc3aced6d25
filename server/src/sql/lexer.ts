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
  /** A string, quoted identifier or block comment that runs to the end of the text. */
  unterminated: boolean;
}

/** Every token has the same shape, which keeps the code that reads tokens fast. */
const token = (kind: TokenKind, start: number, end: number, value: string, unterminated: boolean): Token => ({ kind, start, end, value, unterminated });

const isWordStart = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
const isWordPart = (c: number) => isWordStart(c) || (c >= 48 && c <= 57) || c === 36;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
const OP_CHARS = '+-*/<>=~!@#%^&|`?';

/** Tokens of `text`; with `base`, their offsets are shifted by it (text taken from a file at `base`). */
export function lex(text: string, base = 0): Token[] {
  const tokens: Token[] = [];
  scan(text, 0, text.length, (kind, start, end, unterminated) => {
    const raw = text.slice(start, end);
    tokens.push(token(kind, base + start, base + end, kind === 'word' ? raw.toUpperCase() : raw, unterminated));
  });
  return tokens;
}

/**
 * The span of the tokens starting in `text` between `from` and `to`, without leading and trailing
 * comments, psql meta-commands and `;`, found without building tokens; undefined when nothing else is there.
 */
export function significantSpan(text: string, from: number, to: number): { start: number; end: number } | undefined {
  let start = -1;
  let end = -1;
  scan(text, from, to, (kind, s, e) => {
    if (kind === 'comment' || kind === 'meta' || (kind === 'punct' && text.charCodeAt(s) === 59)) return;
    if (start < 0) start = s;
    end = e;
  });
  return start < 0 ? undefined : { start, end };
}

type Visit = (kind: TokenKind, start: number, end: number, unterminated: boolean) => void;

/** Calls `visit` for each token of `text` that starts between `from` (a line start) and `to`, in order. */
function scan(text: string, from: number, to: number, visit: Visit): void {
  const n = text.length;
  let i = from;
  let lineStart = true; // only whitespace since the last line break
  while (i < to) {
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
      visit('meta', start, i, false);
      continue;
    }
    if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      visit('comment', start, i, false);
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
      visit('comment', start, i, depth > 0);
      continue;
    }
    if (c === 39 /* ' */) {
      i = quoted(text, i, 39, false);
      visit('string', start, i, unterminatedQuote(text, start, i, 39));
      continue;
    }
    if (c === 34 /* " */) {
      i = quoted(text, i, 34, false);
      visit('quoted-ident', start, i, unterminatedQuote(text, start, i, 34));
      continue;
    }
    if (c === 36 /* $ */) {
      const next = text.charCodeAt(i + 1);
      if (isDigit(next)) {
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        visit('param', start, i, false);
        continue;
      }
      const tagEnd = dollarTagEnd(text, i);
      if (tagEnd > 0) {
        const tag = text.slice(i, tagEnd);
        const close = text.indexOf(tag, tagEnd);
        i = close < 0 ? n : close + tag.length;
        visit('string', start, i, close < 0);
        continue;
      }
    }
    if (isWordStart(c)) {
      // Prefixed strings: E'..', B'..', X'..', N'..', U&'..', U&"..".
      const upper = c & ~32;
      if (text.charCodeAt(i + 1) === 39 && (upper === 69 || upper === 66 || upper === 88 || upper === 78)) {
        i = quoted(text, i + 1, 39, upper === 69);
        visit('string', start, i, unterminatedQuote(text, start, i, 39));
        continue;
      }
      if (upper === 85 && text.charCodeAt(i + 1) === 38 && (text.charCodeAt(i + 2) === 39 || text.charCodeAt(i + 2) === 34)) {
        const q = text.charCodeAt(i + 2);
        i = quoted(text, i + 2, q, false);
        if (q === 39) visit('string', start, i, unterminatedQuote(text, start, i, 39));
        else visit('quoted-ident', start, i, false);
        continue;
      }
      i++;
      while (i < n && isWordPart(text.charCodeAt(i))) i++;
      visit('word', start, i, false);
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
      visit('number', start, i, false);
      continue;
    }
    if (OP_CHARS.includes(text[i])) {
      i++;
      while (i < n && OP_CHARS.includes(text[i]) && !(text[i] === '-' && text[i + 1] === '-') && !(text[i] === '/' && text[i + 1] === '*')) i++;
      visit('op', start, i, false);
      continue;
    }
    if (c === 58 /* : */ && text.charCodeAt(i + 1) === 58) {
      i += 2;
      visit('op', start, i, false);
      continue;
    }
    i++;
    visit('punct', start, i, false);
  }
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
