/**
 * Splits SQL into statements with exact positions and PostgreSQL's own parse tree for each.
 * The whole text is parsed in one call when PostgreSQL accepts it; otherwise it is split with the
 * lexer and each statement is parsed on its own, so one bad statement yields one syntax error
 * and every other statement is still analysed.
 */
import type { Node, ParseResult } from 'libpg-query';
import { lex, significantSpan, Token } from './lexer';
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

  const tokens = lex(text, base);
  const masked = maybeMeta ? maskMetaCommands(text, tokens, base) : text;
  const chunks = splitStatements(tokens);
  // An unclosed `/* …` swallows the rest of the file: the statements before it still parse, so
  // report it on its own (marking the opening `/*`).
  const last = tokens[tokens.length - 1];
  const openComment: SqlSyntaxError[] = last?.kind === 'comment' && last.unterminated
    ? [{ start: last.start, end: last.start + 2, message: 'unterminated /* comment' }]
    : [];
  if (chunks.length === 0) return { statements: [], errors: openComment };
  if (maybeMeta) {
    const result = pgParse(masked);
    if (!(result instanceof PgSyntaxError)) return { statements: statementsOf(result, masked, base, tokens), errors: [] };
  }

  const statements: SqlStatement[] = [];
  const errors: SqlSyntaxError[] = [];
  for (const chunk of chunks) {
    const start = tokens[chunk.first].start;
    const end = tokens[chunk.last].end;
    const chunkTokens = tokens.slice(chunk.first, chunk.last + 1);
    const source = masked.slice(start - base, end - base);
    const toUtf16 = byteOffsetMapper(source);
    const offsetOf = (location: number | undefined) => start + toUtf16(location ?? 0);
    const result = pgParse(source);
    if (result instanceof PgSyntaxError) {
      const at = offsetOf(result.cursor);
      errors.push({ ...errorSpan(chunkTokens, at, end), message: result.message });
      statements.push(new ParsedStatement(start, end, undefined, offsetOf, masked, base, chunkTokens));
      continue;
    }
    for (const raw of result.stmts ?? []) {
      const rawEnd = raw.stmt_len ? offsetOf((raw.stmt_location ?? 0) + raw.stmt_len) : end;
      statements.push(makeStatement(raw.stmt, offsetOf(raw.stmt_location), rawEnd, offsetOf, masked, base, chunkTokens));
    }
  }
  return { statements, errors: [...errors, ...openComment] };
}

/** A line that starts with a backslash, which may be a psql meta-command (or sit in a string). */
const MAYBE_META_COMMAND = /(?:^|\n)[ \t\r\f\v]*\\/;

/** The statements of a text PostgreSQL accepted whole (`tokens`: the text's, when already read). */
function statementsOf(result: ParseResult, text: string, base: number, tokens?: Token[]): SqlStatement[] {
  const toUtf16 = byteOffsetMapper(text);
  const offsetOf = (location: number | undefined) => base + toUtf16(location ?? 0);
  return (result.stmts ?? []).map((raw) => {
    const start = offsetOf(raw.stmt_location);
    const end = raw.stmt_len ? offsetOf((raw.stmt_location ?? 0) + raw.stmt_len) : base + text.length;
    return makeStatement(raw.stmt, start, end, offsetOf, text, base, tokens);
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

/** The statement between raw offsets, trimmed to its first and last significant tokens: no leading comments, no trailing `;`. */
function makeStatement(
  node: Node | undefined,
  rawStart: number,
  rawEnd: number,
  offsetOf: (l: number | undefined) => number,
  source: string,
  base: number,
  pool?: Token[],
): SqlStatement {
  if (!pool) {
    const span = significantSpan(source, rawStart - base, rawEnd - base);
    const start = span ? base + span.start : rawStart;
    return new ParsedStatement(start, span ? base + span.end : rawStart, node, offsetOf, source, base);
  }
  const inRange = tokensBetween(pool, rawStart, rawEnd);
  let first = 0;
  while (first < inRange.length && isTrivia(inRange[first])) first++;
  let last = inRange.length - 1;
  while (last >= first && (isTrivia(inRange[last]) || inRange[last].value === ';')) last--;
  const own = inRange.slice(first, last + 1);
  const start = own.length > 0 ? own[0].start : rawStart;
  const end = own.length > 0 ? own[own.length - 1].end : rawStart;
  return new ParsedStatement(start, end, node, offsetOf, source, base, own);
}

const isTrivia = (t: Token) => t.kind === 'comment' || t.kind === 'meta';

function tokensBetween(tokens: Token[], start: number, end: number): Token[] {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  const out: Token[] = [];
  for (let i = lo; i < tokens.length && tokens[i].start < end; i++) out.push(tokens[i]);
  return out;
}

function errorSpan(tokens: Token[], at: number, end: number): { start: number; end: number } {
  // "at end of input" points past the last token: mark the last token of the statement.
  const token = tokens.find((t) => t.start <= at && at < t.end) ?? tokens.find((t) => t.start >= at) ?? tokens.filter((t) => !isTrivia(t)).pop();
  if (!token) return { start: Math.min(at, end), end };
  // An unterminated string runs to the end of the file: mark its opening line only.
  return { start: token.start, end: token.unterminated ? Math.min(token.end, token.start + 1) : token.end };
}

/** Replaces psql meta-command lines with spaces so the parser sees SQL only; offsets keep. */
function maskMetaCommands(text: string, tokens: Token[], base: number): string {
  const metas = tokens.filter((t) => t.kind === 'meta');
  if (metas.length === 0) return text;
  let out = '';
  let at = 0;
  for (const m of metas) {
    out += text.slice(at, m.start - base) + ' '.repeat(m.end - m.start);
    at = m.end - base;
  }
  return out + text.slice(at);
}

interface Chunk {
  first: number;
  last: number;
}

/**
 * Statement boundaries: top-level `;` outside parentheses and outside SQL-standard
 * `BEGIN ATOMIC … END` function bodies. Chunks with no SQL token are dropped.
 */
export function splitStatements(tokens: Token[]): Chunk[] {
  const chunks: Chunk[] = [];
  let first = -1;
  let depth = 0;
  let atomic = 0;
  let prev: Token | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isTrivia(t)) continue;
    if (first < 0) {
      if (t.value === ';') continue;
      first = i;
    }
    if (t.value === '(') depth++;
    else if (t.value === ')') depth = Math.max(0, depth - 1);
    else if (t.kind === 'word') {
      if (t.value === 'ATOMIC' && prev?.value === 'BEGIN') atomic++;
      else if (atomic > 0 && t.value === 'CASE') atomic++;
      else if (atomic > 0 && t.value === 'END') atomic--;
    } else if (t.value === ';' && depth === 0 && atomic === 0) {
      chunks.push({ first, last: i - 1 });
      first = -1;
    }
    prev = t;
  }
  if (first >= 0) chunks.push({ first, last: tokens.length - 1 });
  return chunks;
}
