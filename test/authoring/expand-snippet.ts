/**
 * Expands a VS Code snippet body as the editor does when every placeholder keeps its default:
 * `${1:default}` gives its default (nested placeholders expanded), `$1` / `${1}` mirror the
 * placeholder with that number (or are empty), `${1|a,b|}` gives its first choice, `\$`, `\}` and
 * `\\` are literal, `$NAME` / `${NAME:default}` are variables. A `$` that starts none of these is
 * literal, as in VS Code. Unknown variables throw, so a snippet cannot rely on one by mistake.
 */

type Piece =
  | { kind: 'text'; text: string }
  | { kind: 'tabstop'; index: number; children?: Piece[] }
  | { kind: 'choice'; index: number; first: string }
  | { kind: 'variable'; name: string; children?: Piece[] };

export interface ExpandOptions {
  /** Values of tabstops (for `$1` without a default), by number. */
  tabstops?: Record<number, string>;
  variables?: Record<string, string>;
}

const DEFAULT_VARIABLES: Record<string, string> = { CURRENT_YEAR: '2025', CURRENT_MONTH: '11', CURRENT_DATE: '22' };

export function expandSnippet(body: string | string[], options: ExpandOptions = {}): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  const pieces = new Parser(text).parse(false);
  const defaults = new Map<number, Piece[]>();
  const collect = (list: Piece[]) => {
    for (const p of list) {
      if (p.kind === 'tabstop' && p.children) {
        if (!defaults.has(p.index)) defaults.set(p.index, p.children);
        collect(p.children);
      } else if (p.kind === 'variable' && p.children) collect(p.children);
    }
  };
  collect(pieces);
  const variables = { ...DEFAULT_VARIABLES, ...options.variables };
  const render = (list: Piece[], depth: number): string =>
    list
      .map((p) => {
        if (depth > 20) throw new Error('snippet placeholders refer to each other');
        switch (p.kind) {
          case 'text':
            return p.text;
          case 'choice':
            return p.first;
          case 'tabstop': {
            if (options.tabstops?.[p.index] !== undefined) return options.tabstops[p.index];
            const def = defaults.get(p.index);
            return def ? render(def, depth + 1) : '';
          }
          case 'variable': {
            if (variables[p.name] !== undefined) return variables[p.name];
            if (p.children) return render(p.children, depth + 1);
            throw new Error(`unknown snippet variable $${p.name}`);
          }
        }
      })
      .join('');
  return render(pieces, 0);
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  /** Pieces up to the end, or up to the `}` closing a placeholder when `nested`. */
  parse(nested: boolean): Piece[] {
    const out: Piece[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push({ kind: 'text', text });
      text = '';
    };
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '\\' && '$}\\'.includes(this.text[this.pos + 1] ?? '')) {
        text += this.text[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (nested && c === '}') {
        this.pos++;
        flush();
        return out;
      }
      if (c === '$') {
        const piece = this.dollar();
        if (piece) {
          flush();
          out.push(piece);
          continue;
        }
        text += '$';
        this.pos++;
        continue;
      }
      text += c;
      this.pos++;
    }
    if (nested) throw new Error('unclosed placeholder in snippet');
    flush();
    return out;
  }

  private dollar(): Piece | undefined {
    const rest = this.text.slice(this.pos + 1);
    let m = /^(\d+)/.exec(rest);
    if (m) {
      this.pos += 1 + m[1].length;
      return { kind: 'tabstop', index: Number(m[1]) };
    }
    m = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    if (m) {
      this.pos += 1 + m[1].length;
      return { kind: 'variable', name: m[1] };
    }
    m = /^\{(\d+)(\}|:|\|)/.exec(rest);
    if (m) {
      const index = Number(m[1]);
      this.pos += 1 + m[0].length;
      if (m[2] === '}') return { kind: 'tabstop', index };
      if (m[2] === ':') return { kind: 'tabstop', index, children: this.parse(true) };
      const end = this.text.indexOf('|}', this.pos);
      if (end < 0) throw new Error('unclosed choice in snippet');
      const first = this.text.slice(this.pos, end).split(/(?<!\\),/)[0].replace(/\\([,|\\$}])/g, '$1');
      this.pos = end + 2;
      return { kind: 'choice', index, first };
    }
    m = /^\{([A-Za-z_][A-Za-z0-9_]*)(\}|:)/.exec(rest);
    if (m) {
      this.pos += 1 + m[0].length;
      return m[2] === '}' ? { kind: 'variable', name: m[1] } : { kind: 'variable', name: m[1], children: this.parse(true) };
    }
    return undefined;
  }
}
