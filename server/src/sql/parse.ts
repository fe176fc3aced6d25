/**
 * Splits SQL into statements with exact positions and PostgreSQL's own parse tree for each.
 * The whole text is parsed in one call when PostgreSQL accepts it; otherwise it is split with the
 * lexer and each statement is parsed on its own, so one bad statement yields one syntax error
 * and every other statement is still analysed.
 */
import type { Node } from 'libpg-query';
import { lex, Scanner, significantSpan, Token } from './lexer';
import { pgParse, PgStatement, PgSyntaxError } from './pg';
import { byteOffsetMapper, Utf8Offsets } from './positions';

export interface SqlStatement {
  /** Offsets of the statement in the file, without the terminating `;`. */
  start: number;
  end: number;
  /**
   * PostgreSQL's parse tree, or undefined when the statement is not valid SQL. Decoded on first
   * read: check `kind` first where only some kinds matter.
   */
  readonly node?: Node;
  /** The node's kind (`AlterTableStmt`), or '' when the statement is not valid SQL. */
  readonly kind: string;
  /** The statement's text, from `start` to `end`. */
  readonly text: string;
  /** Tokens of the statement, comments included, with file offsets. */
  tokens: Token[];
  /** Its SQL tokens: `tokens` without comments and psql meta-commands. */
  readonly sqlTokens: Token[];
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
 * Parses `text`, which sits at offset `base` of its file. psql meta-commands are not SQL and are
 * left out; psql variables (`:'name'`, `:"name"`) are read as the literal or identifier they
 * become.
 */
export function parseSql(text: string, base = 0): ParsedSql {
  // The parser takes the text as a C string: it would end at a NUL (an editor can hold one). The
  // NUL is read as a space, and is an error of its own: PostgreSQL refuses it in SQL text.
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const parsed = parseSql(text.replaceAll('\0', ' '), base);
    const error = { start: base + nul, end: base + nul + 1, message: 'a NUL character (0x00), which PostgreSQL refuses in SQL text' };
    return { statements: parsed.statements, errors: [error, ...parsed.errors].sort((a, b) => a.start - b.start) };
  }
  // Most files: no psql syntax can be in them (no backslash, no `:'`) and PostgreSQL accepts them
  // whole. Its statement locations are then enough, and a statement's tokens are read when a rule asks.
  const maybePsql = text.includes('\\') || MAYBE_PSQL_VARIABLE.test(text);
  let rejected: PgSyntaxError | undefined;
  if (!maybePsql) {
    const result = pgParse(text);
    if (!(result instanceof PgSyntaxError)) return { statements: statementsOf(result, text, base), errors: [] };
    rejected = result;
  }

  const { split, masked } = splitMasked(text);
  // An unclosed `/* …` swallows the rest of the file: the statements before it still parse, so
  // report it on its own (marking the opening `/*`).
  const openComment: SqlSyntaxError[] = split.openComment >= 0
    ? [{ start: base + split.openComment, end: base + split.openComment + 2, message: 'unterminated /* comment' }]
    : [];
  if (split.chunks.length === 0) return { statements: [], errors: openComment };
  if (maybePsql) {
    const result = pgParse(masked);
    if (!(result instanceof PgSyntaxError)) return { statements: statementsOf(result, masked, base), errors: [] };
    rejected = result;
  }
  const offsets = new Utf8Offsets(masked);
  const parsed = new ChunkParser(masked, base, split.chunks, offsets).parse(offsets.utf16(rejected!.cursor));
  return { statements: parsed.statements, errors: [...parsed.errors, ...openComment] };
}

/** A statement's text as the scanner splits it (psql syntax masked), not parsed yet. */
export interface SqlChunk {
  /** Its offset in the file. */
  start: number;
  text: string;
}

/**
 * The statements of `text` (at offset `base`) split by the scanner, without parsing them: for
 * reading a few statements of a file (an earlier migration's CREATE TABLE) with `parseChunk`.
 */
export function splitSql(text: string, base = 0): SqlChunk[] {
  const { split, masked } = splitMasked(text);
  return split.chunks.map((chunk) => ({ start: base + chunk.start, text: masked.slice(chunk.start, chunk.end) }));
}

/** The statements PostgreSQL reads in a chunk of `splitSql`; none when it rejects it. */
export function parseChunk(chunk: SqlChunk): SqlStatement[] {
  return new ChunkParser(chunk.text, chunk.start, [{ start: 0, end: chunk.text.length }]).parse(0).statements.filter((s) => s.kind !== '');
}

/** Chunks parsed in one call after an error, doubled each time they parse. */
const FIRST_WINDOW = 16;

/**
 * The statements of a text PostgreSQL rejected, split into chunks by the scanner. PostgreSQL stops
 * at the first error, so everything before the chunk it stopped in is parsed again as one text,
 * and that chunk on its own (for its error). What follows is parsed in windows of chunks that
 * double while they parse: a few calls per error, not one per statement, and never the whole rest
 * of the text per error, which made a file with thousands of errors take minutes.
 */
class ChunkParser {
  readonly statements: SqlStatement[] = [];
  readonly errors: SqlSyntaxError[] = [];

  constructor(
    /** The whole text, psql meta-commands masked; it sits at offset `base` of the file. */
    private readonly text: string,
    private readonly base: number,
    private readonly chunks: Span[],
    /** Offsets of `text`: a piece's locations count bytes from the piece's start. */
    private readonly offsets = new Utf8Offsets(text),
  ) {}

  /** Parses every chunk, knowing that PostgreSQL rejected the whole text at `rejectedAt` (a text offset). */
  parse(rejectedAt: number): this {
    const { chunks } = this;
    let from = 0;
    let failedAt: number | undefined = rejectedAt;
    while (failedAt !== undefined) {
      const k = this.chunkAt(failedAt, from);
      // The chunks before the failing one normally parse as one; if not, one by one.
      if (k > from && this.parseRange(from, k)) for (let c = from; c < k; c++) this.parseChunk(c);
      this.parseChunk(k);
      from = k + 1;
      failedAt = undefined;
      for (let window = FIRST_WINDOW; from < chunks.length && failedAt === undefined; window *= 2) {
        const to = Math.min(chunks.length, from + window);
        failedAt = this.parseRange(from, to)?.at;
        if (failedAt === undefined) from = to;
      }
    }
    return this;
  }

  /** The last chunk from `from` on that starts at or before text offset `at`. */
  private chunkAt(at: number, from: number): number {
    let k = from;
    while (k + 1 < this.chunks.length && this.chunks[k + 1].start <= at) k++;
    return k;
  }

  /** Parses chunks [from, to) as one text and adds their statements; on rejection adds nothing and returns the error (`at`: a text offset). */
  private parseRange(from: number, to: number): { at: number; message: string } | undefined {
    const start = this.chunks[from].start;
    const end = this.chunks[to - 1].end;
    const result = pgParse(this.text.slice(start, end));
    const offsetOf = this.offsetsFrom(start);
    if (result instanceof PgSyntaxError) return { at: offsetOf(result.cursor) - this.base, message: result.message };
    for (const raw of result) {
      const rawEnd = raw.length ? offsetOf(raw.location + raw.length) : this.base + end;
      this.statements.push(makeStatement(raw, offsetOf(raw.location), rawEnd, offsetOf, this.text, this.base));
    }
    return undefined;
  }

  /** Parses one chunk; a rejected chunk becomes a statement without a tree and a syntax error. */
  private parseChunk(index: number): void {
    const error = this.parseRange(index, index + 1);
    if (!error) return;
    const chunk = this.chunks[index];
    const start = this.base + chunk.start;
    const end = this.base + chunk.end;
    const tokens = lex(this.text.slice(chunk.start, chunk.end), start);
    this.errors.push({ ...errorSpan(tokens, this.base + error.at, end), message: error.message });
    // A statement without a tree: only its tokens are read.
    this.statements.push(new ParsedStatement(start, end, undefined, this.offsetsFrom(chunk.start), this.text, this.base, tokens));
  }

  /** File offsets of the byte locations of a piece of the text that starts at text offset `start`. */
  private offsetsFrom(start: number): (location: number | undefined) => number {
    const startByte = this.offsets.byte(start);
    return (location) => this.base + this.offsets.utf16(startByte + (location ?? 0));
  }
}

/** The statements of a text PostgreSQL accepted whole (psql meta-commands masked). */
function statementsOf(result: PgStatement[], text: string, base: number): SqlStatement[] {
  const toUtf16 = byteOffsetMapper(text);
  const offsetOf = (location: number | undefined) => base + toUtf16(location ?? 0);
  return result.map((raw) => {
    const start = offsetOf(raw.location);
    const end = raw.length ? offsetOf(raw.location + raw.length) : base + text.length;
    return makeStatement(raw, start, end, offsetOf, text, base);
  });
}

/** A statement of the file; its tree and tokens are read on first use (tokens: unless given). */
class ParsedStatement implements SqlStatement {
  readonly kind: string;
  private lexed: Token[] | undefined;
  private significant: Token[] | undefined;

  constructor(
    readonly start: number,
    readonly end: number,
    private readonly parsed: PgStatement | undefined,
    readonly offsetOf: (location: number | undefined) => number,
    /** The text parsed, which sits at offset `base` of the file. */
    private readonly source: string,
    private readonly base: number,
    tokens?: Token[],
  ) {
    this.kind = parsed?.kind ?? '';
    this.lexed = tokens;
  }

  get node(): Node | undefined {
    return this.parsed?.node;
  }

  get text(): string {
    return this.source.slice(this.start - this.base, this.end - this.base);
  }

  get tokens(): Token[] {
    this.lexed ??= lex(this.text, this.start);
    return this.lexed;
  }

  get sqlTokens(): Token[] {
    this.significant ??= this.tokens.filter((t) => !isTrivia(t));
    return this.significant;
  }
}

/** The statement between raw offsets (file offsets into `source`, which sits at `base`), trimmed to its first and last significant tokens. */
function makeStatement(
  parsed: PgStatement,
  rawStart: number,
  rawEnd: number,
  offsetOf: (l: number | undefined) => number,
  source: string,
  base: number,
): SqlStatement {
  const span = significantSpan(source, rawStart - base, rawEnd - base);
  return span ? new ParsedStatement(base + span.start, base + span.end, parsed, offsetOf, source, base) : new ParsedStatement(rawStart, rawStart, parsed, offsetOf, source, base);
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

/** psql syntax in SQL text: a meta-command, or the colon of a variable (`:'name'`). */
interface PsqlSpan extends Span {
  /** It sends the query before it, as `;` would (`\g`, `\gset`, `\gexec` …). */
  sends: boolean;
}

/** `:'` or `:"` that is not part of `::`, which may be a psql variable (or sit in a string). */
const MAYBE_PSQL_VARIABLE = /(?<!:):['"]/;

/** First letters (lower case) of the words that open or close a block: ATOMIC, BEGIN, CASE, END. */
const BLOCK_WORD_START = new Set([97, 98, 99, 101]);

/** psql meta-commands that send the query buffer: they end a statement. */
const SENDS_QUERY = /^\\(?:g|gx|gset|gexec|gdesc|crosstabview|watch)(?![A-Za-z])/;

/**
 * Replaces psql syntax with spaces so the parser sees SQL only: a meta-command that sends the
 * query becomes `;` and spaces, a variable `:'name'` the literal `'name'`. Offsets keep.
 */
function maskPsql(text: string, spans: PsqlSpan[]): string {
  let out = '';
  let at = 0;
  for (const m of spans) {
    out += text.slice(at, m.start) + (m.sends ? ';' : ' ') + ' '.repeat(m.end - m.start - 1);
    at = m.end;
  }
  return out + text.slice(at);
}

/** The statements of `text` split by the scanner, and the text with its psql syntax masked. */
function splitMasked(text: string): { split: Split; masked: string } {
  const split = splitStatements(text);
  return { split, masked: split.psql.length > 0 ? maskPsql(text, split.psql) : text };
}

interface Split {
  /** Each statement from its first significant token to the end of the token before its `;`. */
  chunks: Span[];
  psql: PsqlSpan[];
  /** Where a block comment that is never closed opens, or -1. */
  openComment: number;
}

/**
 * Statement boundaries: top-level `;` outside parentheses and outside SQL-standard
 * `BEGIN ATOMIC … END` function bodies, found in one scan that builds no tokens. Offsets are the
 * text's. Chunks with no SQL token are dropped.
 */
function splitStatements(text: string): Split {
  const split: Split = { chunks: [], psql: [], openComment: -1 };
  const scanner = new Scanner(text, 0, text.length);
  let first = -1;
  let depth = 0;
  let atomic = 0;
  let afterBegin = false;
  let brackets = 0;
  let previousEnd = 0;
  while (scanner.next()) {
    const { kind, start, end } = scanner;
    split.openComment = kind === 'comment' && scanner.unterminated ? start : -1;
    if (kind === 'meta') {
      const sends = SENDS_QUERY.test(text.slice(start, Math.min(end, start + 14)));
      split.psql.push({ start, end, sends });
      // `SELECT … \gexec` sends what comes before it, as `;` would, whatever is still open.
      if (sends) {
        if (first >= 0) split.chunks.push({ start: first, end: previousEnd });
        first = -1;
        depth = 0;
        atomic = 0;
      }
      previousEnd = end;
      continue;
    }
    if (kind === 'comment') {
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
    // psql puts a variable's value in place of `:'name'` (a literal) and `:"name"` (an identifier).
    // In brackets it is an array or jsonb slice (`x['a':'b']`), which is SQL.
    if (c === 91 /* [ */) brackets++;
    else if (c === 93 /* ] */) brackets = Math.max(0, brackets - 1);
    else if (c === 58 /* : */ && brackets === 0 && text.charCodeAt(start - 1) !== 58) {
      const next = text.charCodeAt(start + 1);
      if (next === 39 /* ' */ || next === 34 /* " */) split.psql.push({ start, end: start + 1, sends: false });
    }
    const word = kind === 'word' && end - start >= 3 && end - start <= 6 && BLOCK_WORD_START.has(text.charCodeAt(start) | 32) ? text.slice(start, end).toUpperCase() : '';
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
