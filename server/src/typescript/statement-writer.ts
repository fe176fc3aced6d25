/**
 * Writes the SQL a schema builder call generates, as a statement whose every offset maps to the
 * call. Names and values known only at run time become placeholders (and make the migration
 * dynamic); everything else is quoted as the libraries quote it for PostgreSQL.
 */
import { SqlBuilder } from './embedded-sql';
import type { MigrationReader, WalkContext } from './extract';
import { Node, propertyName, rangeOf, SourceRange, unwrap } from './source';

/** A piece of a generated statement: text, or a node whose value is known only at run time. */
export type SqlPart = string | Node;

export const quoteIdent = (name: string): string => `"${name.split('"').join('""')}"`;
export const quoteLiteral = (value: string): string => `'${value.split("'").join("''")}'`;

/** A constant read from the source as a SQL value; undefined when it is not a constant. */
export function constantSql(value: string | number | boolean | null | undefined): string | undefined {
  if (typeof value === 'string') return quoteLiteral(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value === null ? 'NULL' : undefined;
}

export class StatementWriter {
  constructor(
    readonly reader: MigrationReader,
    readonly ctx: WalkContext,
  ) {}

  /** A quoted name, or the node itself when its value is not known here. */
  ident(node: Node | undefined, split = false): SqlPart {
    const value = node ? this.reader.constant(node) : undefined;
    if (typeof value !== 'string') return node ?? '""';
    return split ? value.split('.').map(quoteIdent).join('.') : quoteIdent(value);
  }

  /** A string constant, or undefined. */
  string(node: Node | undefined): string | undefined {
    const value = node ? this.reader.constant(node) : undefined;
    return typeof value === 'string' ? value : undefined;
  }

  /** Strings of a string or an array of strings (`'a'` or `['a', 'b']`); undefined when not all are known. */
  strings(node: Node | undefined): string[] | undefined {
    if (!node) return undefined;
    const n = this.reader.resolve(node);
    if (n.type === 'ArrayExpression') {
      const out = n.elements.map((e) => (e && e.type !== 'SpreadElement' ? this.string(e as Node) : undefined));
      return out.every((s): s is string => s !== undefined) ? out : undefined;
    }
    const one = this.string(n);
    return one === undefined ? undefined : [one];
  }

  /** The properties of an object literal by name; undefined when it is not one written here (or has a spread). */
  object(node: Node | undefined): Map<string, Node> | undefined {
    if (!node) return new Map();
    const n = this.reader.resolve(node);
    if (n.type !== 'ObjectExpression') return undefined;
    const out = new Map<string, Node>();
    for (const p of n.properties) {
      if (p.type !== 'ObjectProperty') return undefined;
      const name = propertyName(p.key, p.computed);
      if (name === undefined) return undefined;
      out.set(name, unwrap(p.value as Node));
    }
    return out;
  }

  /** Whether an option is `true` (unknown counts as false, and is noted as dynamic). */
  flag(options: Map<string, Node> | undefined, name: string): boolean {
    const node = options?.get(name);
    if (!node) return false;
    const value = this.reader.constant(node);
    if (typeof value === 'boolean') return value;
    this.reader.dynamicValue(node, this.ctx, `the option \`${name}\``);
    return false;
  }

  /** Records one generated statement standing for `range` (a call). */
  emit(parts: SqlPart[], via: string, range: SourceRange, statement: SourceRange = this.ctx.statement): void {
    const builder = new SqlBuilder(this.reader.placeholders());
    for (const part of parts) {
      if (typeof part === 'string') builder.addSynthetic(part, range);
      else builder.addPlaceholder(rangeOf(part));
    }
    this.reader.add(builder, via, 'builder', range, { ...this.ctx, statement });
  }

  /** Notes that a builder call could not be read, so what it runs is unknown. */
  unreadable(node: Node, what: string): void {
    this.reader.dynamicValue(node, this.ctx, what);
  }
}

/** A call of a builder method in a chain (`knex.schema.createTable(…)`, `t.string('a').notNullable()`). */
export interface ChainLink {
  name: string;
  args: Node[];
  call: Node;
  /** From the method name to the end of the call (the whole call for the first link). */
  range: SourceRange;
}

/**
 * The method calls of a chain from its root outwards, when the root (below the first call) is
 * accepted by `isRoot`: `t.string('a').notNullable()` → [string, notNullable].
 */
export function callChain(node: Node, isRoot: (root: Node) => boolean): ChainLink[] | undefined {
  const links: ChainLink[] = [];
  let current = unwrap(node);
  for (;;) {
    if (current.type !== 'CallExpression') return undefined;
    const callee = current.callee;
    if (callee.type !== 'MemberExpression') return undefined;
    const name = propertyName(callee.property, callee.computed);
    if (name === undefined) return undefined;
    const object = unwrap(callee.object);
    links.unshift({ name, args: current.arguments as Node[], call: current, range: { start: callee.property.start ?? 0, end: current.end ?? 0 } });
    if (object.type !== 'CallExpression') {
      if (!isRoot(object)) return undefined;
      links[0].range = rangeOf(current);
      return links;
    }
    current = object;
  }
}
