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
  | 'meta'; // a psql meta-command, from its backslash to the end of the line (\set, \i, … \gexec)

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
  const scanner = new Scanner(text, 0, text.length);
  while (scanner.next()) {
    const raw = text.slice(scanner.start, scanner.end);
    tokens.push(token(scanner.kind, base + scanner.start, base + scanner.end, scanner.kind === 'word' ? raw.toUpperCase() : raw, scanner.unterminated));
  }
  return tokens;
}

/**
 * The span of a statement PostgreSQL delimited (`from`, `to`: its location and end, a token
 * boundary) without leading and trailing comments and `;`; undefined when nothing else is there.
 * For text without psql meta-commands. Most statements end with a significant character right
 * before their `;`, so only leading comments need skipping; the rest are scanned token by token.
 */
export function significantSpan(text: string, from: number, to: number): { start: number; end: number } | undefined {
  const start = skipComments(text, from, to);
  if (start >= to) return undefined;
  const last = text.charCodeAt(to - 1);
  if (!isSpace(last) && last !== 47 /* / of a comment's end */ && last !== 59 /* ; */) return { start, end: to };
  let end = -1;
  const scanner = new Scanner(text, start, to);
  while (scanner.next()) {
    const { kind } = scanner;
    if (kind === 'comment' || kind === 'meta' || (kind === 'punct' && text.charCodeAt(scanner.start) === 59)) continue;
    end = scanner.end;
  }
  return end < 0 ? undefined : { start, end };
}

/** The offset of the first character from `from` on that is not blank or in a comment. */
function skipComments(text: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      while (i < to && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = blockCommentEnd(text, i);
      i = end < 0 ? to : end;
    } else break;
  }
  return i;
}

/** Reads the tokens of `text` that start between `from` and `to`, one per `next()`, without allocating. */
export class Scanner {
  kind: TokenKind = 'punct';
  start = 0;
  end = 0;
  unterminated = false;
  private i: number;

  constructor(private readonly text: string, from: number, private readonly to: number) {
    this.i = from;
  }

  /** Moves to the next token; false at the end. */
  next(): boolean {
    const text = this.text;
    const n = text.length;
    let i = this.i;
    while (i < this.to && isSpace(text.charCodeAt(i))) i++;
    if (i >= this.to) {
      this.i = i;
      return false;
    }
    const c = text.charCodeAt(i);
    const start = i;
    // psql meta-command: a backslash outside quotes (no SQL token has one), up to the end of the
    // line; on a line of its own (`\set x 1`) or after a query it sends (`SELECT … \gexec`).
    if (c === 92 /* \ */) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      return this.found('meta', start, i, false);
    }
    if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      return this.found('comment', start, i, false);
    }
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = blockCommentEnd(text, i);
      return end < 0 ? this.found('comment', start, n, true) : this.found('comment', start, end, false);
    }
    if (c === 39 /* ' */) {
      i = quoted(text, i, 39, false);
      return this.found('string', start, i, unterminatedQuote(text, start, i, 39));
    }
    if (c === 34 /* " */) {
      i = quoted(text, i, 34, false);
      return this.found('quoted-ident', start, i, unterminatedQuote(text, start, i, 34));
    }
    if (c === 36 /* $ */) {
      const next = text.charCodeAt(i + 1);
      if (isDigit(next)) {
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        return this.found('param', start, i, false);
      }
      const tagEnd = dollarTagEnd(text, i);
      if (tagEnd > 0) {
        const tag = text.slice(i, tagEnd);
        const close = text.indexOf(tag, tagEnd);
        i = close < 0 ? n : close + tag.length;
        return this.found('string', start, i, close < 0);
      }
    }
    if (isWordStart(c)) {
      // Prefixed strings: E'..', B'..', X'..', N'..', U&'..', U&"..".
      const upper = c & ~32;
      if (text.charCodeAt(i + 1) === 39 && (upper === 69 || upper === 66 || upper === 88 || upper === 78)) {
        i = quoted(text, i + 1, 39, upper === 69);
        return this.found('string', start, i, unterminatedQuote(text, start, i, 39));
      }
      if (upper === 85 && text.charCodeAt(i + 1) === 38 && (text.charCodeAt(i + 2) === 39 || text.charCodeAt(i + 2) === 34)) {
        const q = text.charCodeAt(i + 2);
        i = quoted(text, i + 2, q, false);
        return q === 39 ? this.found('string', start, i, unterminatedQuote(text, start, i, 39)) : this.found('quoted-ident', start, i, false);
      }
      i++;
      while (i < n && isWordPart(text.charCodeAt(i))) i++;
      return this.found('word', start, i, false);
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
      return this.found('number', start, i, false);
    }
    if (OP_CHARS.includes(text[i])) {
      i++;
      while (i < n && OP_CHARS.includes(text[i]) && !(text[i] === '-' && text[i + 1] === '-') && !(text[i] === '/' && text[i + 1] === '*')) i++;
      return this.found('op', start, i, false);
    }
    if (c === 58 /* : */ && text.charCodeAt(i + 1) === 58) {
      i += 2;
      return this.found('op', start, i, false);
    }
    i++;
    return this.found('punct', start, i, false);
  }

  private found(kind: TokenKind, start: number, end: number, unterminated: boolean): true {
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.unterminated = unterminated;
    this.i = end;
    return true;
  }
}

/** End offset (exclusive) of the block comment opening at `open` (comments nest); -1 when it is never closed. */
function blockCommentEnd(text: string, open: number): number {
  const n = text.length;
  let depth = 1;
  let i = open + 2;
  while (i < n && depth > 0) {
    if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) { depth++; i += 2; }
    else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) { depth--; i += 2; }
    else i++;
  }
  return depth > 0 ? -1 : i;
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
