/**
 * knex's schema builder (`knex.schema.createTable / alterTable / dropTable / renameTable …`) as
 * the SQL knex generates for PostgreSQL: one statement per command, each standing for the call
 * (or, inside a table callback, the column chain) that asks for it.
 */
import type { MigrationReader, WalkContext } from './extract';
import { Node, propertyName, rangeOf, SourceRange, unwrap } from './source';
import { callChain, ChainLink, constantSql, quoteIdent, quoteLiteral, SqlPart, StatementWriter } from './statement-writer';

/** The calls of `<x>.schema.…` from the first on, or undefined when `node` is not such a chain. */
export function knexSchemaChain(node: Node): ChainLink[] | undefined {
  return callChain(node, (root) => root.type === 'MemberExpression' && propertyName(root.property, root.computed) === 'schema');
}

export function knexStatements(chain: ChainLink[], reader: MigrationReader, ctx: WalkContext): void {
  const w = new StatementWriter(reader, ctx);
  let schema: string | undefined;
  const table = (node: Node | undefined): SqlPart[] => {
    const name = w.ident(node, true);
    return schema !== undefined && typeof name === 'string' ? [`${quoteIdent(schema)}.`, name] : [name];
  };
  for (const link of chain) {
    const [first, second] = link.args;
    switch (link.name) {
      case 'withSchema':
        schema = w.string(first);
        if (schema === undefined && first) w.unreadable(first, 'the schema');
        break;
      case 'createTable':
      case 'createTableIfNotExists':
      case 'alterTable':
      case 'table':
        new TableCallback(w, link, table(first), w.string(first)).read();
        break;
      case 'dropTable':
        w.emit(['DROP TABLE ', ...table(first)], link.name, link.range);
        break;
      case 'dropTableIfExists':
        w.emit(['DROP TABLE IF EXISTS ', ...table(first)], link.name, link.range);
        break;
      case 'renameTable':
        w.emit(['ALTER TABLE ', ...table(first), ' RENAME TO ', w.ident(second)], link.name, link.range);
        break;
      case 'createSchema':
      case 'createSchemaIfNotExists':
        w.emit([link.name === 'createSchema' ? 'CREATE SCHEMA ' : 'CREATE SCHEMA IF NOT EXISTS ', w.ident(first)], link.name, link.range);
        break;
      case 'dropSchema':
      case 'dropSchemaIfExists':
        w.emit([link.name === 'dropSchema' ? 'DROP SCHEMA ' : 'DROP SCHEMA IF EXISTS ', w.ident(first), w.flag(w.object(second), 'cascade') || reader.constant(second) === true ? ' CASCADE' : ''], link.name, link.range);
        break;
      case 'raw':
        reader.addCallSql(link.call as never, 'raw', link.args, ctx);
        break;
      default:
        // hasTable, hasColumn, then …: no SQL of their own; callbacks still run.
        for (const arg of link.args) reader.walk(arg, ctx);
    }
  }
}

/** Column types as knex writes them for PostgreSQL. */
function columnType(link: ChainLink, w: StatementWriter): string | undefined {
  const [, a, b] = link.args;
  const num = (node: Node | undefined, fallback: number) => {
    const value = node ? w.reader.constant(node) : undefined;
    return typeof value === 'number' ? value : fallback;
  };
  switch (link.name) {
    case 'increments':
      return 'serial primary key';
    case 'bigIncrements':
      return 'bigserial primary key';
    case 'integer':
      return 'integer';
    case 'bigInteger':
    case 'bigint':
      return 'bigint';
    case 'tinyint':
    case 'smallint':
      return 'smallint';
    case 'mediumint':
      return 'integer';
    case 'text':
      return 'text';
    case 'string':
      return `varchar(${num(a, 255)})`;
    case 'float':
      return 'real';
    case 'double':
      return 'double precision';
    case 'decimal':
      return a && w.reader.constant(a) === null ? 'decimal' : `decimal(${num(a, 8)}, ${num(b, 2)})`;
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
    case 'timestamp': {
      const options = w.object(a);
      const withoutZone = options?.get('useTz') && w.reader.constant(options.get('useTz')) === false;
      return withoutZone ? 'timestamp' : 'timestamptz';
    }
    case 'time':
      return 'time';
    case 'binary':
      return 'bytea';
    case 'json':
      return 'json';
    case 'jsonb':
      return 'jsonb';
    case 'uuid':
      return 'uuid';
    case 'specificType':
      return w.string(a);
    case 'enu':
    case 'enum': {
      const values = w.strings(a);
      const column = w.string(link.args[0]);
      return values && column !== undefined ? `text check (${quoteIdent(column)} in (${values.map(quoteLiteral).join(', ')}))` : undefined;
    }
    default:
      return undefined;
  }
}

/** A column chain's modifiers: `.notNullable().defaultTo(…).unique()` … */
interface Modifiers {
  notNull?: boolean;
  defaultValue?: SqlPart;
  primary?: boolean;
  unique?: boolean;
  index?: boolean;
  references?: { table: SqlPart[]; column: SqlPart };
  onDelete?: string;
  onUpdate?: string;
  alter?: boolean;
  comment?: string;
}

/** The callback of `createTable` / `alterTable`: each statement in it is read as knex reads its calls. */
class TableCallback {
  private readonly create: boolean;
  private readonly columns: SqlPart[][] = [];
  /** Statements after CREATE TABLE (constraints, indexes), each with the chain it comes from. */
  private readonly after: Array<{ parts: SqlPart[]; via: string; range: SourceRange; statement: SourceRange }> = [];

  constructor(
    private readonly w: StatementWriter,
    private readonly link: ChainLink,
    private readonly table: SqlPart[],
    /** The table's name for index and constraint names; undefined when not known here. */
    private readonly tableName: string | undefined,
  ) {
    this.create = link.name.startsWith('create');
  }

  read(): void {
    const fn = this.link.args[1] ? unwrap(this.link.args[1]) : undefined;
    if (fn) {
      const param = fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression' ? fn.params[0] : undefined;
      if (param?.type !== 'Identifier') this.w.unreadable(fn, 'what the table callback does');
      else if (fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression') {
        const body = fn.body.type === 'BlockStatement' ? (fn.body.body as Node[]) : [fn.body as Node];
        for (const statement of body) this.statement(statement, param.name);
      }
    }
    const whole = this.link.range;
    if (this.create) {
      const parts: SqlPart[] = [this.link.name === 'createTableIfNotExists' ? 'CREATE TABLE IF NOT EXISTS ' : 'CREATE TABLE ', ...this.table, ' ('];
      this.columns.forEach((c, i) => parts.push(...(i > 0 ? [', '] : []), ...c));
      this.w.emit([...parts, ')'], this.link.name, whole);
    }
    for (const s of this.after) this.w.emit(s.parts, s.via, s.range, s.statement);
  }

  private statement(statement: Node, builder: string): void {
    const expression = statement.type === 'ExpressionStatement' ? unwrap(statement.expression) : statement;
    const chain = callChain(expression, (root) => root.type === 'Identifier' && root.name === builder);
    if (!chain) {
      if (statement.type !== 'EmptyStatement') this.w.unreadable(statement, 'what the table callback runs');
      return;
    }
    const range = rangeOf(expression);
    const at = { range, statement: rangeOf(statement) };
    const [head, ...modifiers] = chain;
    const [first, second] = head.args;
    const names = () => this.w.strings(first);
    switch (head.name) {
      case 'dropColumn':
      case 'dropColumns': {
        const columns = head.args.flatMap((a): SqlPart[] => this.w.strings(a) ?? [a]);
        this.alter(head.name, at, columns.flatMap((c, i) => [i > 0 ? ', ' : '', 'DROP COLUMN ', typeof c === 'string' ? quoteIdent(c) : c]));
        return;
      }
      case 'renameColumn':
        this.alter(head.name, at, ['RENAME COLUMN ', this.w.ident(first), ' TO ', this.w.ident(second)]);
        return;
      case 'dropTimestamps':
        this.alter(head.name, at, ['DROP COLUMN "created_at", DROP COLUMN "updated_at"']);
        return;
      case 'setNullable':
      case 'dropNullable':
        this.alter(head.name, at, ['ALTER COLUMN ', this.w.ident(first), head.name === 'setNullable' ? ' DROP NOT NULL' : ' SET NOT NULL']);
        return;
      case 'index':
      case 'unique':
      case 'primary':
      case 'foreign':
        this.tableConstraint(head, modifiers, names(), at);
        return;
      case 'dropIndex':
        this.push(head.name, at, ['DROP INDEX ', this.constraintName(second, names(), 'index', first)]);
        return;
      case 'dropUnique':
      case 'dropForeign':
      case 'dropPrimary': {
        const kind = head.name === 'dropUnique' ? 'unique' : head.name === 'dropForeign' ? 'foreign' : 'pkey';
        const name = head.name === 'dropPrimary' ? this.constraintName(first, [], 'pkey') : this.constraintName(second, names(), kind, first);
        this.alter(head.name, at, ['DROP CONSTRAINT ', name]);
        return;
      }
      case 'timestamps': {
        const defaultToNow = this.w.reader.constant(second) === true;
        const column = (name: string) => [`${quoteIdent(name)} timestamptz`, defaultToNow ? ' NOT NULL DEFAULT CURRENT_TIMESTAMP' : ''].join('');
        this.addColumn(head.name, at, [column('created_at')]);
        this.addColumn(head.name, at, [column('updated_at')]);
        return;
      }
    }
    const type = columnType(head, this.w);
    if (type === undefined) {
      this.w.unreadable(expression, `what \`${head.name}(…)\` generates`);
      return;
    }
    const column = this.w.string(first);
    const columnName: SqlPart = column !== undefined ? quoteIdent(column) : first ?? '""';
    const m = this.modifiers(modifiers);
    if (m.alter) {
      // knex alters a column in steps: type, then nullability, then default.
      this.alter(head.name, at, ['ALTER COLUMN ', columnName, ' DROP DEFAULT']);
      this.alter(head.name, at, ['ALTER COLUMN ', columnName, ' DROP NOT NULL']);
      this.alter(head.name, at, ['ALTER COLUMN ', columnName, ` TYPE ${type} USING (`, columnName, `::${type})`]);
      if (m.defaultValue !== undefined) this.alter(head.name, at, ['ALTER COLUMN ', columnName, ' SET DEFAULT ', m.defaultValue]);
      if (m.notNull) this.alter(head.name, at, ['ALTER COLUMN ', columnName, ' SET NOT NULL']);
    } else {
      const definition: SqlPart[] = [columnName, ` ${type}`];
      if (m.notNull) definition.push(' NOT NULL');
      if (m.defaultValue !== undefined) definition.push(' DEFAULT ', m.defaultValue);
      if (m.primary) definition.push(' PRIMARY KEY');
      this.addColumn(head.name, at, definition);
    }
    if (column === undefined) return;
    if (m.unique) this.alter('unique', at, ['ADD CONSTRAINT ', this.constraintName(undefined, [column], 'unique'), ` UNIQUE (${quoteIdent(column)})`]);
    if (m.index) this.push('index', at, ['CREATE INDEX ', this.constraintName(undefined, [column], 'index'), ' ON ', ...this.table, ` (${quoteIdent(column)})`]);
    if (m.references) this.foreignKey(at, [column], undefined, m);
    if (m.comment !== undefined) this.push('comment', at, ['COMMENT ON COLUMN ', ...this.table, `.${quoteIdent(column)} IS ${quoteLiteral(m.comment)}`]);
  }

  /** `t.index(cols, name)`, `t.unique(cols)`, `t.primary(cols)`, `t.foreign(cols).references(…)`. */
  private tableConstraint(head: ChainLink, modifiers: ChainLink[], columns: string[] | undefined, at: { range: SourceRange; statement: SourceRange }): void {
    if (!columns) {
      this.w.unreadable(head.args[0] ?? head.call, 'the columns');
      return;
    }
    const list = `(${columns.map(quoteIdent).join(', ')})`;
    const nameArg = head.args[1] && this.w.object(head.args[1]) === undefined ? head.args[1] : this.w.object(head.args[1])?.get('indexName');
    switch (head.name) {
      case 'index':
        this.push('index', at, ['CREATE INDEX ', this.constraintName(nameArg, columns, 'index'), ' ON ', ...this.table, ` ${list}`]);
        return;
      case 'unique':
        this.alter('unique', at, ['ADD CONSTRAINT ', this.constraintName(nameArg, columns, 'unique'), ` UNIQUE ${list}`]);
        return;
      case 'primary':
        this.alter('primary', at, ['ADD CONSTRAINT ', this.constraintName(nameArg, [], 'pkey'), ` PRIMARY KEY ${list}`]);
        return;
      case 'foreign':
        this.foreignKey(at, columns, nameArg, this.modifiers(modifiers));
    }
  }

  private foreignKey(at: { range: SourceRange; statement: SourceRange }, columns: string[], nameArg: Node | undefined, m: Modifiers): void {
    if (!m.references) return;
    const parts: SqlPart[] = ['ADD CONSTRAINT ', this.constraintName(nameArg, columns, 'foreign'), ` FOREIGN KEY (${columns.map(quoteIdent).join(', ')}) REFERENCES `, ...m.references.table, ' (', m.references.column, ')'];
    if (m.onDelete) parts.push(` ON DELETE ${m.onDelete}`);
    if (m.onUpdate) parts.push(` ON UPDATE ${m.onUpdate}`);
    this.alter('foreign', at, parts);
  }

  private modifiers(links: ChainLink[]): Modifiers {
    const m: Modifiers = {};
    let referenced: string | undefined;
    let inTable: SqlPart[] | undefined;
    let referenceNode: Node | undefined;
    for (const link of links) {
      const arg = link.args[0];
      switch (link.name) {
        case 'notNullable':
          m.notNull = true;
          break;
        case 'nullable':
          m.notNull = false;
          break;
        case 'defaultTo':
          m.defaultValue = this.defaultValue(arg);
          break;
        case 'primary':
          m.primary = true;
          break;
        case 'unique':
          m.unique = true;
          break;
        case 'index':
          m.index = true;
          break;
        case 'references':
          referenced = this.w.string(arg);
          referenceNode = arg;
          break;
        case 'inTable':
          inTable = [this.w.ident(arg, true)];
          break;
        case 'onDelete':
        case 'onUpdate': {
          const action = this.w.string(arg);
          if (action === undefined) this.w.unreadable(arg ?? link.call, `the ${link.name} action`);
          else m[link.name] = action.toUpperCase();
          break;
        }
        case 'alter':
          m.alter = true;
          break;
        case 'comment':
          m.comment = this.w.string(arg);
          break;
      }
    }
    if (referenced !== undefined) {
      // `references('teams.id')` names the table; `references('id').inTable('teams')` does not.
      const dot = referenced.lastIndexOf('.');
      if (inTable) m.references = { table: inTable, column: quoteIdent(referenced) };
      else if (dot > 0) m.references = { table: [referenced.slice(0, dot).split('.').map(quoteIdent).join('.')], column: quoteIdent(referenced.slice(dot + 1)) };
    } else if (referenceNode) m.references = { table: inTable ?? [referenceNode], column: referenceNode };
    return m;
  }

  private defaultValue(node: Node | undefined): SqlPart {
    if (!node) return 'NULL';
    const constant = constantSql(this.w.reader.constant(node));
    if (constant !== undefined) return constant;
    const n = unwrap(node);
    // knex.fn.now() and knex.raw('…'): SQL of their own.
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression') {
      const name = propertyName(n.callee.property, n.callee.computed);
      if (name === 'now') return 'CURRENT_TIMESTAMP';
      const raw = name === 'raw' ? this.w.string(n.arguments[0] as Node) : undefined;
      if (raw !== undefined) return raw;
    }
    return node;
  }

  /** knex's default name of an index or constraint: `<table>_<columns>_<kind>`, lower case, `.` and `-` as `_`. */
  private constraintName(given: Node | undefined, columns: string[] | undefined, kind: string, columnsNode?: Node): SqlPart {
    if (given) return this.w.ident(given);
    if (!columns) return columnsNode ?? '""';
    if (this.tableName === undefined) return this.link.args[0] ?? '""';
    const name = [this.tableName, ...columns, kind].join('_').toLowerCase().split('.').join('_').split('-').join('_');
    return quoteIdent(name);
  }

  private addColumn(via: string, at: { range: SourceRange; statement: SourceRange }, definition: SqlPart[]): void {
    if (this.create) this.columns.push(definition);
    else this.after.push({ parts: ['ALTER TABLE ', ...this.table, ' ADD COLUMN ', ...definition], via, ...at });
  }

  private alter(via: string, at: { range: SourceRange; statement: SourceRange }, action: SqlPart[]): void {
    this.after.push({ parts: ['ALTER TABLE ', ...this.table, ' ', ...action], via, ...at });
  }

  private push(via: string, at: { range: SourceRange; statement: SourceRange }, parts: SqlPart[]): void {
    this.after.push({ parts, via, ...at });
  }
}
