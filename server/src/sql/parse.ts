/**
 * Splits SQL into statements with exact positions and PostgreSQL's own parse tree for each.
 * The whole text is parsed in one call when PostgreSQL accepts it; otherwise it is split with the
 * lexer and each statement is parsed on its own, so one bad statement yields one syntax error
 * and every other statement is still analysed.
 */
import type { Node, ParseResult } from 'libpg-query';
import { lex, Scanner, significantSpan, Token } from './lexer';
import { pgParse, PgSyntaxError } from './pg';
import { byteOffsetMapper } from './positions';

export interface SqlStatement {
  /** Offsets of the statement in the file, without the terminating `;`. */
  start: number;
  end: number;
  /** PostgreSQL's parse tree, or undefined when the statement is not valid SQL. */
  node?: Node;
  /** The node's kind (`AlterTableStmt`), or '' when unparsed. */
  kind: string;
  /** Tokens of the statement, comments included, with file offsets. */
  tokens: Token[];
  /** File offset of a parse-tree `location` (a UTF-8 byte offset into what was parsed). */
  offsetOf(location: number | undefined): number;
}

export interface SqlSyntaxError {
  start: number;
  end: number;
  message: string;
}

export interface ParsedSql {
  statements: SqlStatement[];
  errors: SqlSyntaxError[];
}

/**
 * Parses `text`, which sits at offset `base` of its file. Lines that are psql meta-commands are
 * not SQL and are left out.
 */
export function parseSql(text: string, base = 0): ParsedSql {
  // Most files: no psql meta-command can be in them and PostgreSQL accepts them whole. Its
  // statement locations are then enough, and a statement's tokens are read when a rule asks.
  const maybeMeta = MAYBE_META_COMMAND.test(text);
  if (!maybeMeta) {
    const result = pgParse(text);
    if (!(result instanceof PgSyntaxError)) return { statements: statementsOf(result, text, base), errors: [] };
  }

  const split = splitStatements(text);
  const masked = split.metaCommands.length > 0 ? maskMetaCommands(text, split.metaCommands) : text;
  // An unclosed `/* …` swallows the rest of the file: the statements before it still parse, so
  // report it on its own (marking the opening `/*`).
  const openComment: SqlSyntaxError[] = split.openComment >= 0
    ? [{ start: base + split.openComment, end: base + split.openComment + 2, message: 'unterminated /* comment' }]
    : [];
  if (split.chunks.length === 0) return { statements: [], errors: openComment };
  if (maybeMeta) {
    const result = pgParse(masked);
    if (!(result instanceof PgSyntaxError)) return { statements: statementsOf(result, masked, base), errors: [] };
  }

  const statements: SqlStatement[] = [];
  const errors: SqlSyntaxError[] = [];
  for (const chunk of split.chunks) {
    const start = base + chunk.start;
    const end = base + chunk.end;
    const source = masked.slice(chunk.start, chunk.end);
    const toUtf16 = byteOffsetMapper(source);
    const offsetOf = (location: number | undefined) => start + toUtf16(location ?? 0);
    const result = pgParse(source);
    if (result instanceof PgSyntaxError) {
      const tokens = lex(source, start);
      errors.push({ ...errorSpan(tokens, offsetOf(result.cursor), end), message: result.message });
      statements.push(new ParsedStatement(start, end, undefined, offsetOf, masked, base, tokens));
      continue;
    }
    for (const raw of result.stmts ?? []) {
      const rawEnd = raw.stmt_len ? offsetOf((raw.stmt_location ?? 0) + raw.stmt_len) : end;
      statements.push(makeStatement(raw.stmt, offsetOf(raw.stmt_location), rawEnd, offsetOf, masked, base));
    }
  }
  return { statements, errors: [...errors, ...openComment] };
}

/** A line that starts with a backslash, which may be a psql meta-command (or sit in a string). */
const MAYBE_META_COMMAND = /(?:^|\n)[ \t\r\f\v]*\\/;

/** The statements of a text PostgreSQL accepted whole (psql meta-commands masked). */
function statementsOf(result: ParseResult, text: string, base: number): SqlStatement[] {
  const toUtf16 = byteOffsetMapper(text);
  const offsetOf = (location: number | undefined) => base + toUtf16(location ?? 0);
  return (result.stmts ?? []).map((raw) => {
    const start = offsetOf(raw.stmt_location);
    const end = raw.stmt_len ? offsetOf((raw.stmt_location ?? 0) + raw.stmt_len) : base + text.length;
    return makeStatement(raw.stmt, start, end, offsetOf, text, base);
  });
}

/** A statement of the file; its tokens are read from the text on first use unless given. */
class ParsedStatement implements SqlStatement {
  readonly kind: string;
  private lexed: Token[] | undefined;

  constructor(
    readonly start: number,
    readonly end: number,
    readonly node: Node | undefined,
    readonly offsetOf: (location: number | undefined) => number,
    /** The text parsed, which sits at offset `base` of the file. */
    private readonly source: string,
    private readonly base: number,
    tokens?: Token[],
  ) {
    this.kind = node ? Object.keys(node)[0] : '';
    this.lexed = tokens;
  }

  get tokens(): Token[] {
    this.lexed ??= lex(this.source.slice(this.start - this.base, this.end - this.base), this.start);
    return this.lexed;
  }
}

/** The statement between raw offsets (file offsets into `source`, which sits at `base`), trimmed to its first and last significant tokens. */
function makeStatement(
  node: Node | undefined,
  rawStart: number,
  rawEnd: number,
  offsetOf: (l: number | undefined) => number,
  source: string,
  base: number,
): SqlStatement {
  const span = significantSpan(source, rawStart - base, rawEnd - base);
  return span ? new ParsedStatement(base + span.start, base + span.end, node, offsetOf, source, base) : new ParsedStatement(rawStart, rawStart, node, offsetOf, source, base);
}

const isTrivia = (t: Token) => t.kind === 'comment' || t.kind === 'meta';

function errorSpan(tokens: Token[], at: number, end: number): { start: number; end: number } {
  // "at end of input" points past the last token: mark the last token of the statement.
  const token = tokens.find((t) => t.start <= at && at < t.end) ?? tokens.find((t) => t.start >= at) ?? tokens.filter((t) => !isTrivia(t)).pop();
  if (!token) return { start: Math.min(at, end), end };
  // An unterminated string runs to the end of the file: mark its opening line only.
  return { start: token.start, end: token.unterminated ? Math.min(token.end, token.start + 1) : token.end };
}

interface Span {
  start: number;
  end: number;
}

/** Replaces psql meta-command lines with spaces so the parser sees SQL only; offsets keep. */
function maskMetaCommands(text: string, metaCommands: Span[]): string {
  let out = '';
  let at = 0;
  for (const m of metaCommands) {
    out += text.slice(at, m.start) + ' '.repeat(m.end - m.start);
    at = m.end;
  }
  return out + text.slice(at);
}

interface Split {
  /** Each statement from its first significant token to the end of the token before its `;`. */
  chunks: Span[];
  metaCommands: Span[];
  /** Where a block comment that is never closed opens, or -1. */
  openComment: number;
}

/**
 * Statement boundaries: top-level `;` outside parentheses and outside SQL-standard
 * `BEGIN ATOMIC … END` function bodies, found in one scan that builds no tokens. Offsets are the
 * text's. Chunks with no SQL token are dropped.
 */
function splitStatements(text: string): Split {
  const split: Split = { chunks: [], metaCommands: [], openComment: -1 };
  const scanner = new Scanner(text, 0, text.length);
  let first = -1;
  let depth = 0;
  let atomic = 0;
  let afterBegin = false;
  let previousEnd = 0;
  while (scanner.next()) {
    const { kind, start, end } = scanner;
    split.openComment = kind === 'comment' && scanner.unterminated ? start : -1;
    if (kind === 'comment' || kind === 'meta') {
      if (kind === 'meta') split.metaCommands.push({ start, end });
      previousEnd = end;
      continue;
    }
    const c = kind === 'punct' ? text.charCodeAt(start) : 0;
    if (first < 0) {
      if (c === 59 /* ; */) {
        previousEnd = end;
        continue;
      }
      first = start;
    }
    const word = kind === 'word' && end - start <= 6 ? text.slice(start, end).toUpperCase() : '';
    if (c === 40 /* ( */) depth++;
    else if (c === 41 /* ) */) depth = Math.max(0, depth - 1);
    else if (word === 'ATOMIC' && afterBegin) atomic++;
    else if (atomic > 0 && word === 'CASE') atomic++;
    else if (atomic > 0 && word === 'END') atomic--;
    else if (c === 59 && depth === 0 && atomic === 0) {
      split.chunks.push({ start: first, end: previousEnd });
      first = -1;
    }
    afterBegin = word === 'BEGIN';
    previousEnd = end;
  }
  if (first >= 0) split.chunks.push({ start: first, end: previousEnd });
  return split;
}
