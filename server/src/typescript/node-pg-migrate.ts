/**
 * node-pg-migrate's MigrationBuilder calls (`pgm.createTable / addColumns / createIndex …`) as the
 * SQL it generates: one statement per call, standing for the call.
 */
import type { CallExpression } from '@babel/types';
import type { MigrationReader, WalkContext } from './extract';
import { Node, propertyName, rangeOf, unwrap } from './source';
import { constantSql, quoteIdent, quoteLiteral, SqlPart, StatementWriter } from './statement-writer';

export const PGM_BUILDERS = new Set([
  'createTable', 'dropTable', 'renameTable', 'addColumns', 'addColumn', 'dropColumns', 'dropColumn', 'renameColumn', 'alterColumn',
  'createIndex', 'addIndex', 'dropIndex', 'addConstraint', 'createConstraint', 'dropConstraint', 'addTypeValue', 'createType', 'dropType',
]);

export function pgmStatements(call: CallExpression, method: string, reader: MigrationReader, ctx: WalkContext): void {
  new PgmCall(new StatementWriter(reader, ctx), call, method).emit();
}

class PgmCall {
  private readonly args: Node[];

  constructor(
    private readonly w: StatementWriter,
    private readonly call: CallExpression,
    private readonly method: string,
  ) {
    this.args = call.arguments.map((a) => unwrap(a as Node));
  }

  emit(): void {
    const parts = this.statement();
    if (parts) this.w.emit(parts, this.method, rangeOf(this.call));
  }

  /** The statement's parts, or undefined (noted as dynamic) when its options cannot be read here. */
  private statement(): SqlPart[] | undefined {
    const [a, b, c] = this.args;
    const w = this.w;
    switch (this.method) {
      case 'createTable': {
        const columns = this.columns(b);
        const options = this.options(c);
        if (!columns || !options) return undefined;
        const constraints = options.get('constraints') ? this.constraint(options.get('constraints')!) : [];
        if (!constraints) return undefined;
        const body = [...columns, ...(constraints.length > 0 ? [constraints] : [])];
        return ['CREATE TABLE ', w.flag(options, 'ifNotExists') ? 'IF NOT EXISTS ' : '', ...this.name(a), ' (', ...body.flatMap((col, i) => (i > 0 ? [', ', ...col] : col)), ')'];
      }
      case 'dropTable': {
        const options = this.options(b);
        if (!options) return undefined;
        return ['DROP TABLE ', w.flag(options, 'ifExists') ? 'IF EXISTS ' : '', ...this.name(a), w.flag(options, 'cascade') ? ' CASCADE' : ''];
      }
      case 'renameTable':
        return ['ALTER TABLE ', ...this.name(a), ' RENAME TO ', ...this.name(b)];
      case 'addColumns':
      case 'addColumn': {
        const columns = this.columns(b);
        const options = this.options(c);
        if (!columns || !options) return undefined;
        const ifNotExists = w.flag(options, 'ifNotExists') ? 'IF NOT EXISTS ' : '';
        return ['ALTER TABLE ', ...this.name(a), ' ', ...columns.flatMap((col, i) => [i > 0 ? ', ADD ' : 'ADD ', ifNotExists, ...col])];
      }
      case 'dropColumns':
      case 'dropColumn': {
        const columns = this.columnNames(b);
        const options = this.options(c);
        if (!columns || !options) return undefined;
        const ifExists = w.flag(options, 'ifExists') ? 'IF EXISTS ' : '';
        const cascade = w.flag(options, 'cascade') ? ' CASCADE' : '';
        return ['ALTER TABLE ', ...this.name(a), ' ', ...columns.flatMap((col, i) => [i > 0 ? ', DROP ' : 'DROP ', ifExists, col, cascade])];
      }
      case 'renameColumn':
        return ['ALTER TABLE ', ...this.name(a), ' RENAME ', w.ident(b), ' TO ', w.ident(c)];
      case 'alterColumn':
        return this.alterColumn(a, b, c);
      case 'createIndex':
      case 'addIndex':
        return this.createIndex(a, b, c);
      case 'dropIndex': {
        const options = this.options(c);
        const columns = this.columnNames(b);
        if (!options || !columns) return undefined;
        const name = options.get('name') ? w.ident(options.get('name')) : this.indexName(a, columns, options);
        return ['DROP INDEX ', w.flag(options, 'concurrently') ? 'CONCURRENTLY ' : '', w.flag(options, 'ifExists') ? 'IF EXISTS ' : '', name, w.flag(options, 'cascade') ? ' CASCADE' : ''];
      }
      case 'addConstraint':
      case 'createConstraint': {
        const expression = this.constraint(c);
        if (!expression) return undefined;
        const named = b && b.type !== 'NullLiteral' ? ['CONSTRAINT ', w.ident(b), ' '] : [];
        return ['ALTER TABLE ', ...this.name(a), ' ADD ', ...named, ...expression];
      }
      case 'dropConstraint': {
        const options = this.options(c);
        if (!options) return undefined;
        return ['ALTER TABLE ', ...this.name(a), ' DROP CONSTRAINT ', w.flag(options, 'ifExists') ? 'IF EXISTS ' : '', w.ident(b), w.flag(options, 'cascade') ? ' CASCADE' : ''];
      }
      case 'addTypeValue': {
        const options = this.options(c);
        if (!options) return undefined;
        const value = w.string(b);
        const place = options.get('before') ? ['BEFORE', options.get('before')!] : options.get('after') ? ['AFTER', options.get('after')!] : undefined;
        const placeValue = place ? w.string(place[1] as Node) : undefined;
        return ['ALTER TYPE ', ...this.name(a), ' ADD VALUE ', w.flag(options, 'ifNotExists') ? 'IF NOT EXISTS ' : '', value !== undefined ? quoteLiteral(value) : b,
          ...(place ? [` ${place[0] as string} `, placeValue !== undefined ? quoteLiteral(placeValue) : (place[1] as Node)] : [])];
      }
      case 'createType': {
        const values = w.strings(b);
        if (!values) return this.unreadable(b ?? this.call, 'the type’s values');
        return ['CREATE TYPE ', ...this.name(a), ` AS ENUM (${values.map(quoteLiteral).join(', ')})`];
      }
      case 'dropType': {
        const options = this.options(b);
        if (!options) return undefined;
        return ['DROP TYPE ', w.flag(options, 'ifExists') ? 'IF EXISTS ' : '', ...this.name(a), w.flag(options, 'cascade') ? ' CASCADE' : ''];
      }
    }
    return undefined;
  }

  private unreadable(node: Node, what: string): undefined {
    this.w.unreadable(node, what);
    return undefined;
  }

  /** A table or type name: `'t'` or `{ schema: 's', name: 't' }`. */
  private name(node: Node | undefined): SqlPart[] {
    const object = node?.type === 'ObjectExpression' ? this.w.object(node) : undefined;
    if (object?.get('name')) return [...(object.get('schema') ? [this.w.ident(object.get('schema')), '.'] : []), this.w.ident(object.get('name'))];
    return [this.w.ident(node)];
  }

  private baseName(node: Node | undefined): string | undefined {
    const object = node?.type === 'ObjectExpression' ? this.w.object(node) : undefined;
    return this.w.string(object?.get('name') ?? node);
  }

  /** Options object (absent: empty); undefined (noted as dynamic) when not written here. */
  private options(node: Node | undefined): Map<string, Node> | undefined {
    const options = this.w.object(node);
    if (!options && node) this.w.unreadable(node, 'the options');
    return options;
  }

  /** Column names: `'a'` or `['a', 'b']`, quoted; an expression (`lower(email)`) as written. */
  private columnNames(node: Node | undefined): SqlPart[] | undefined {
    const names = this.w.strings(node);
    if (!names) return this.unreadable(node ?? this.call, 'the columns');
    return names.map((n) => (n.includes('(') || n.includes('"') ? n : quoteIdent(n)));
  }

  /** Column definitions of an object `{ name: type | { type, notNull, default, … } }`. */
  private columns(node: Node | undefined): SqlPart[][] | undefined {
    const columns = this.w.object(node);
    if (!columns) return this.unreadable(node ?? this.call, 'the columns');
    const out: SqlPart[][] = [];
    for (const [name, definition] of columns) {
      const col = this.column(definition);
      if (!col) return undefined;
      out.push([quoteIdent(name), ' ', ...col]);
    }
    return out;
  }

  private column(definition: Node): SqlPart[] | undefined {
    const w = this.w;
    const shorthand = w.string(definition);
    if (shorthand !== undefined) return [shorthand === 'id' ? 'serial PRIMARY KEY' : shorthand];
    const options = w.object(definition);
    if (!options) return this.unreadable(definition, 'the column definition');
    const type = w.string(options.get('type'));
    if (type === undefined) return this.unreadable(options.get('type') ?? definition, 'the column type');
    const parts: SqlPart[] = [type === 'id' ? 'serial' : type];
    if (w.flag(options, 'primaryKey') || type === 'id') parts.push(' PRIMARY KEY');
    if (w.flag(options, 'notNull')) parts.push(' NOT NULL');
    if (options.has('default')) parts.push(' DEFAULT ', this.value(options.get('default')!));
    if (w.flag(options, 'unique')) parts.push(' UNIQUE');
    const check = w.string(options.get('check'));
    if (check !== undefined) parts.push(` CHECK (${check})`);
    if (options.has('references')) {
      parts.push(' REFERENCES ', ...this.references(options.get('references')!));
      for (const action of ['onDelete', 'onUpdate'] as const) {
        const value = w.string(options.get(action));
        if (value !== undefined) parts.push(` ON ${action === 'onDelete' ? 'DELETE' : 'UPDATE'} ${value.toUpperCase()}`);
      }
    }
    return parts;
  }

  /** `references: 'users'` (a table, quoted), `'users(id)'` or `'"users"'` (as written), or `{ schema, name }`. */
  private references(node: Node): SqlPart[] {
    const text = this.w.string(node);
    if (text === undefined) return this.name(node);
    return [text.includes('(') || text.includes('"') ? text : quoteIdent(text)];
  }

  /** A default value: `pgm.func('…')` is SQL; strings are literals. */
  private value(node: Node): SqlPart {
    const constant = constantSql(this.w.reader.constant(node));
    if (constant !== undefined) return constant;
    const n = unwrap(node);
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression' && propertyName(n.callee.property, n.callee.computed) === 'func') {
      const text = this.w.string(n.arguments[0] as Node);
      if (text !== undefined) return text;
    }
    return node;
  }

  private alterColumn(table: Node | undefined, column: Node | undefined, optionsNode: Node | undefined): SqlPart[] | undefined {
    const w = this.w;
    const options = this.options(optionsNode);
    if (!options) return undefined;
    const col = w.ident(column);
    const actions: SqlPart[][] = [];
    if (options.has('default')) {
      const value = w.reader.constant(options.get('default'));
      actions.push(value === null ? ['ALTER ', col, ' DROP DEFAULT'] : ['ALTER ', col, ' SET DEFAULT ', this.value(options.get('default')!)]);
    }
    const type = options.get('type');
    if (type) {
      const using = w.string(options.get('using'));
      actions.push(['ALTER ', col, ' SET DATA TYPE ', w.string(type) ?? type, using !== undefined ? ` USING ${using}` : '']);
    }
    if (options.has('notNull') || options.has('allowNull')) {
      const notNull = options.has('notNull') ? w.flag(options, 'notNull') : !w.flag(options, 'allowNull');
      actions.push(['ALTER ', col, notNull ? ' SET NOT NULL' : ' DROP NOT NULL']);
    }
    if (actions.length === 0) return undefined;
    return ['ALTER TABLE ', ...this.name(table), ' ', ...actions.flatMap((a, i) => (i > 0 ? [', ', ...a] : a))];
  }

  private createIndex(table: Node | undefined, columnsNode: Node | undefined, optionsNode: Node | undefined): SqlPart[] | undefined {
    const w = this.w;
    const options = this.options(optionsNode);
    const columns = this.columnNames(columnsNode);
    if (!options || !columns) return undefined;
    const unique = w.flag(options, 'unique');
    const name = options.get('name') ? w.ident(options.get('name')) : this.indexName(table, columns, options);
    const method = w.string(options.get('method'));
    const where = w.string(options.get('where'));
    if (options.get('where') && where === undefined) this.w.unreadable(options.get('where')!, 'the index’s WHERE');
    return [
      unique ? 'CREATE UNIQUE INDEX ' : 'CREATE INDEX ', w.flag(options, 'concurrently') ? 'CONCURRENTLY ' : '', w.flag(options, 'ifNotExists') ? 'IF NOT EXISTS ' : '',
      name, ' ON ', ...this.name(table), method ? ` USING ${method}` : '', ' (', ...columns.flatMap((c, i) => (i > 0 ? [', ', c] : [c])), ')', where !== undefined ? ` WHERE ${where}` : '',
    ];
  }

  /** node-pg-migrate's default index name: `<table>_<columns>[_unique]_index`. */
  private indexName(table: Node | undefined, columns: SqlPart[], options: Map<string, Node>): SqlPart {
    const base = this.baseName(table);
    const names = this.w.strings(this.args[1]);
    if (base === undefined || !names) return table ?? '""';
    return quoteIdent([base, ...names, ...(this.w.flag(options, 'unique') ? ['unique'] : []), 'index'].join('_'));
  }

  /** A constraint: SQL text as written, or `{ check, unique, primaryKey, foreignKeys }`. */
  private constraint(node: Node | undefined): SqlPart[] | undefined {
    const w = this.w;
    const text = w.string(node);
    if (text !== undefined) return [text];
    const options = this.options(node);
    if (!options) return undefined;
    const parts: SqlPart[][] = [];
    const list = (n: Node) => {
      const names = w.strings(n);
      return names ? `(${names.map(quoteIdent).join(', ')})` : n;
    };
    if (options.has('check')) {
      const checks = w.strings(options.get('check'));
      if (!checks) return this.unreadable(options.get('check')!, 'the check');
      for (const check of checks) parts.push([`CHECK (${check})`]);
    }
    if (options.has('unique')) parts.push(['UNIQUE ', list(options.get('unique')!)]);
    if (options.has('primaryKey')) parts.push(['PRIMARY KEY ', list(options.get('primaryKey')!)]);
    if (options.has('foreignKeys')) {
      const fks = unwrap(options.get('foreignKeys')!);
      for (const fk of fks.type === 'ArrayExpression' ? (fks.elements as Node[]) : [fks]) {
        const o = w.object(fk);
        if (!o || !o.get('columns') || !o.get('references')) return this.unreadable(fk, 'the foreign key');
        const fkParts: SqlPart[] = ['FOREIGN KEY ', list(o.get('columns')!), ' REFERENCES ', ...this.references(o.get('references')!)];
        for (const action of ['onDelete', 'onUpdate'] as const) {
          const value = w.string(o.get(action));
          if (value !== undefined) fkParts.push(` ON ${action === 'onDelete' ? 'DELETE' : 'UPDATE'} ${value.toUpperCase()}`);
        }
        parts.push(fkParts);
      }
    }
    if (parts.length === 0) return this.unreadable(node ?? this.call, 'the constraint');
    return parts.flatMap((p, i) => (i > 0 ? [', ', ...p] : p));
  }
}
