/**
 * SQL text taken from a TS/JS file, with an exact map from each SQL offset back to the file.
 * The SQL is what the database receives: escape sequences decoded, each interpolation replaced by
 * a placeholder name that parses wherever an identifier or a value can stand.
 */
import { lex } from '../sql/lexer';
import type { Node, SourceRange } from './source';

/** A string or template literal the SQL text was read from: edits inside it follow its quoting. */
export interface Literal extends SourceRange {
  quote: '`' | "'" | '"';
}

/** An interpolation (`${table}`, a knex `?` binding) standing in the SQL as a placeholder name. */
export interface Placeholder {
  /** Offsets in the SQL text. */
  start: number;
  end: number;
  /** The expression or binding in the file. */
  source: SourceRange;
}

/** Prefix of every placeholder name: a rule that needs a name knows it is unknown when it sees one. */
export const PLACEHOLDER_PREFIX = 'safemig_placeholder_';

export const isPlaceholderName = (name: string): boolean => name.toLowerCase().startsWith(PLACEHOLDER_PREFIX);

export type Part = 'up' | 'down';

export class EmbeddedSql {
  constructor(
    /** The SQL the database receives, placeholders in place of interpolations. */
    readonly text: string,
    /** What handed it to the database: `raw` for `.raw(…)`, `createTable` for a builder … */
    readonly via: string,
    /** `string` when read from literals, `builder` when generated from a schema builder call. */
    readonly origin: 'string' | 'builder',
    readonly part: Part,
    /** The call (or tagged template) that runs it. */
    readonly call: SourceRange,
    /** The statement of the file the call sits in: an ignore comment goes on the line before it. */
    readonly statement: SourceRange,
    readonly placeholders: Placeholder[],
    readonly literals: Literal[],
    /** Source start and end of each SQL unit; `literalOf` the index of its literal or -1. */
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
    private readonly literalOf: Int32Array,
    /** It runs only when an error was thrown (in a `catch`): not part of the migration's path. */
    readonly onError: boolean,
    /** Control flow decides whether it runs (an `if`, a loop, after an early `return`). */
    readonly conditional = false,
  ) {}

  /** The range in the file of the SQL range [start, end). An empty range maps to a point. */
  sourceRange(start: number, end: number): SourceRange {
    const n = this.text.length;
    if (n === 0) return { start: this.call.start, end: this.call.start };
    const s = Math.max(0, Math.min(start, n));
    const e = Math.max(s, Math.min(end, n));
    if (e > s) return { start: this.starts[s], end: this.ends[e - 1] };
    const at = s < n ? this.starts[s] : this.ends[n - 1];
    return { start: at, end: at };
  }

  /** The SQL offset at file offset `at` inside a literal (before the unit that starts there, or after the one that ends there); undefined elsewhere. */
  sqlOffsetOf(at: number): number | undefined {
    for (let i = 0; i < this.text.length; i++) {
      if (this.literalOf[i] < 0) continue;
      if (this.starts[i] === at) return i;
      if (this.ends[i] === at) return i + 1;
    }
    return undefined;
  }

  /** The placeholder covering SQL offsets [start, end), if any part of it is one. */
  placeholderIn(start: number, end: number): Placeholder | undefined {
    return this.placeholders.find((p) => p.start < Math.max(end, start + 1) && start < p.end);
  }

  /** Where in the file text inserted at SQL offset `at` goes, inside a literal: undefined when no literal touches that point. */
  insertionPoint(at: number): { offset: number; literal: Literal } | undefined {
    const before = at > 0 ? this.literalOf[at - 1] : -1;
    if (before >= 0) return { offset: this.ends[at - 1], literal: this.literals[before] };
    const after = at < this.text.length ? this.literalOf[at] : -1;
    if (after >= 0) return { offset: this.starts[at], literal: this.literals[after] };
    return undefined;
  }

  /** The literal holding all of SQL range [start, end) (non-empty), or undefined when it spans more or a placeholder. */
  literalHolding(start: number, end: number): Literal | undefined {
    if (end <= start) return this.insertionPoint(start)?.literal;
    const first = this.literalOf[start];
    if (first < 0) return undefined;
    for (let i = start + 1; i < end; i++) if (this.literalOf[i] !== first) return undefined;
    return this.literals[first];
  }
}

/** Builds an EmbeddedSql piece by piece, keeping the map. */
export class SqlBuilder {
  private text = '';
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly literalOf: number[] = [];
  private readonly literals: Literal[] = [];
  private readonly placeholders: Placeholder[] = [];

  constructor(private readonly placeholderCount: { n: number }) {}

  get length(): number {
    return this.text.length;
  }

  /** Adds the value of a string literal or a template's quasi (source range [start, end) without quotes). */
  addLiteralText(source: string, start: number, end: number, literal: Literal, template: boolean): void {
    const index = this.literals.indexOf(literal) >= 0 ? this.literals.indexOf(literal) : this.literals.push(literal) - 1;
    decodeLiteral(source, start, end, template, (value, from, to) => {
      for (let i = 0; i < value.length; i++) this.push(value[i], from, to, index);
    });
  }

  /** Adds a placeholder standing for the expression at `source`. */
  addPlaceholder(source: SourceRange): void {
    const name = `${PLACEHOLDER_PREFIX}${++this.placeholderCount.n}`;
    const start = this.text.length;
    for (const c of name) this.push(c, source.start, source.end, -1);
    this.placeholders.push({ start, end: this.text.length, source });
  }

  /** Adds generated text that stands for the whole source range (a builder call). */
  addSynthetic(text: string, source: SourceRange): void {
    for (const c of text) for (let i = 0; i < c.length; i++) this.push(c[i], source.start, source.end, -1);
  }

  /**
   * knex bindings: each `?` (a value) and `??` (an identifier) outside SQL strings and comments,
   * or with `named` bindings (an object) each `:name` and `:name:`, becomes a placeholder standing
   * for the binding's marker in the file.
   */
  bindPlaceholders(named: boolean): void {
    const tokens = lex(this.text);
    const marks: Array<{ start: number; end: number }> = [];
    tokens.forEach((t, i) => {
      if (!named && t.kind === 'op' && (t.value === '?' || t.value === '??')) marks.push(t);
      const word = tokens[i + 1];
      if (named && t.kind === 'punct' && t.value === ':' && word?.kind === 'word' && word.start === t.end) {
        const close = tokens[i + 2];
        marks.push({ start: t.start, end: close?.kind === 'punct' && close.value === ':' && close.start === word.end ? close.end : word.end });
      }
    });
    if (marks.length === 0) return;
    const text = this.text;
    const starts = this.starts.splice(0);
    const ends = this.ends.splice(0);
    const literalOf = this.literalOf.splice(0);
    const earlier = this.placeholders.splice(0);
    // New offset of each old one, to move the placeholders of `${…}` found before.
    const moved = new Int32Array(text.length + 1);
    this.text = '';
    let at = 0;
    const copy = (to: number) => {
      for (; at < to; at++) {
        moved[at] = this.text.length;
        this.push(text[at], starts[at], ends[at], literalOf[at]);
      }
    };
    const marked = marks.map((mark) => {
      copy(mark.start);
      this.addPlaceholder({ start: starts[mark.start], end: ends[mark.end - 1] });
      at = mark.end;
      return this.placeholders.pop()!;
    });
    copy(text.length);
    moved[text.length] = this.text.length;
    const kept = earlier.map((p) => ({ ...p, start: moved[p.start], end: moved[p.end - 1] + 1 }));
    this.placeholders.push(...[...kept, ...marked].sort((a, b) => a.start - b.start));
  }

  private push(unit: string, start: number, end: number, literal: number): void {
    this.text += unit;
    this.starts.push(start);
    this.ends.push(end);
    this.literalOf.push(literal);
  }

  build(via: string, origin: 'string' | 'builder', part: Part, call: SourceRange, statement: SourceRange, onError: boolean, conditional = false): EmbeddedSql {
    return new EmbeddedSql(this.text, via, origin, part, call, statement, this.placeholders, this.literals,
      Int32Array.from(this.starts), Int32Array.from(this.ends), Int32Array.from(this.literalOf), onError, conditional);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' };

const isHex = (c: string) => (c >= '0' && c <= '9') || ((c.toLowerCase() >= 'a') && (c.toLowerCase() <= 'f'));
const validCodePoint = (hex: string) => hex.length > 0 && [...hex].every(isHex) && parseInt(hex, 16) <= 0x10ffff;
const isOctal = (c: string) => c >= '0' && c <= '7';

/**
 * Decodes the body of a string literal or template quasi, source[start, end), calling `emit` with
 * each decoded value and the source range it came from: escapes, line continuations, and (in
 * templates) CR LF and CR read as LF, as JavaScript reads them.
 */
export function decodeLiteral(source: string, start: number, end: number, template: boolean, emit: (value: string, from: number, to: number) => void): void {
  let i = start;
  while (i < end) {
    const c = source[i];
    if (c === '\r' && template) {
      const to = source[i + 1] === '\n' ? i + 2 : i + 1;
      emit('\n', i, to);
      i = to;
      continue;
    }
    if (c !== '\\') {
      emit(c, i, i + 1);
      i++;
      continue;
    }
    const e = source[i + 1];
    let to = i + 2;
    let value: string;
    if (e === '\r') {
      if (source[i + 2] === '\n') to++;
      value = '';
    } else if (e === '\n' || e === '\u2028' || e === '\u2029') {
      value = '';
    } else if (e in SIMPLE_ESCAPES) {
      value = SIMPLE_ESCAPES[e];
    } else if (e === 'x' && isHex(source[i + 2] ?? '') && isHex(source[i + 3] ?? '')) {
      value = String.fromCharCode(parseInt(source.slice(i + 2, i + 4), 16));
      to = i + 4;
    } else if (e === 'u' && source[i + 2] === '{' && validCodePoint(source.slice(i + 3, source.indexOf('}', i + 3)))) {
      const close = source.indexOf('}', i + 3);
      value = String.fromCodePoint(parseInt(source.slice(i + 3, close), 16));
      to = close + 1;
    } else if (e === 'u' && [2, 3, 4, 5].every((k) => isHex(source[i + k] ?? ''))) {
      value = String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
      to = i + 6;
    } else if (isOctal(e) && !template && !(e === '0' && !isOctal(source[i + 2] ?? ''))) {
      // Legacy octal escape of sloppy-mode strings: up to three digits, value below 256.
      let digits = e;
      while (digits.length < 3 && isOctal(source[i + 1 + digits.length] ?? '') && parseInt(digits + source[i + 1 + digits.length], 8) < 256) digits += source[i + 1 + digits.length];
      value = String.fromCharCode(parseInt(digits, 8));
      to = i + 1 + digits.length;
    } else if (e === '0') {
      value = '\0';
    } else {
      // Any other escaped character is itself (a surrogate pair as a whole).
      const code = source.codePointAt(i + 1) ?? 0;
      value = String.fromCodePoint(code);
      to = i + 1 + value.length;
    }
    emit(value, i, to);
    i = to;
  }
}

/** The quote of a literal node. */
export function literalOf(node: Node, source: string): Literal {
  const q = source[node.start ?? 0];
  return { start: node.start ?? 0, end: node.end ?? 0, quote: q === "'" || q === '"' ? q : '`' };
}
