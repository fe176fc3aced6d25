/**
 * Reads a TypeScript / JavaScript migration: whether the file is one at all (by its shape), its
 * framework, the SQL it hands to the database in its UP and DOWN parts (strings, templates and
 * schema builder calls), the transaction opt-outs, and whether all of it is known before it runs.
 */
import type { CallExpression, Comment, Function as FunctionNode, TaggedTemplateExpression } from '@babel/types';
import { EmbeddedSql, Literal, literalOf, Part, SqlBuilder } from './embedded-sql';
import { knexSchemaChain, knexStatements } from './knex';
import { pgmStatements, PGM_BUILDERS } from './node-pg-migrate';
import { childrenOf, memberCall, Node, parseSource, propertyName, rangeOf, SourceRange, unwrap } from './source';

export type Framework = 'knex' | 'node-pg-migrate' | 'kysely' | 'typeorm' | 'script';

/** What makes a migration's SQL unknown before it runs: apply and rollback refuse to run it and name this. */
export interface DynamicPart extends SourceRange {
  description: string;
}

export interface LineComment extends SourceRange {
  /** The text after `//`. */
  text: string;
  /** The statement it is about: the one it trails on its line, else the one after it. */
  about?: SourceRange;
}

export interface TsMigration {
  framework: Framework;
  /** Every piece of SQL the UP and DOWN parts run, in source order. */
  sql: EmbeddedSql[];
  /** `function`: a DOWN part; `irreversible`: `down = false` (node-pg-migrate); `none`: no DOWN (a script is roll-forward). */
  down: 'function' | 'irreversible' | 'none';
  /** Where `down = false` says so. */
  irreversibleAt?: SourceRange;
  /** Whether the runner wraps each part in a transaction (a script: never, its own BEGIN / COMMIT say). */
  runnerTransaction: Record<Part, boolean>;
  /** Where the file opts out of the runner's transaction (`config = { transaction: false }`, `pgm.noTransaction()`, `transaction = false`). */
  transactionOptOuts: SourceRange[];
  /** The first part that makes the SQL unknown before it runs; undefined when all of it is static. */
  dynamic?: DynamicPart;
  /** Line comments (`// …`), for suppressions. */
  comments: LineComment[];
  /** Syntax errors the parser recovered from. */
  syntaxErrors: Array<SourceRange & { message: string }>;
  /** Where each part is written: the `up` / `down` function (a script: the whole file). */
  partRanges: Partial<Record<Part, SourceRange>>;
}

/** Methods that hand their first argument to the database as SQL. `execute` only when that is a string. */
const SQL_METHODS = new Set(['query', 'raw', 'unsafe', 'sql', 'execute']);
/** Methods of a postgres.js / Bun client whose callback receives a client (`sql.begin(async (tx) => tx\`…\`)`). */
const CLIENT_CALLBACKS = new Set(['begin', 'transaction', 'savepoint', 'reserve']);
/** Calls on what up/down receive that run no SQL of their own (`knex.fn.now()`, `pgm.func('…')`). */
const NO_SQL_METHODS = new Set(['fn', 'now', 'func', 'ref', 'then', 'catch', 'finally', 'toString']);
const LOOP_TYPES = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

/** A seed-003 script: `scripts/migrations/NNN-name.{ts,js,…}`. */
export function isMigrationScriptPath(path: string): boolean {
  const parts = path.split(/[\\/]/);
  const name = parts[parts.length - 1];
  return parts[parts.length - 2] === 'migrations' && parts[parts.length - 3] === 'scripts' && /^\d+-[^/]+\.[cm]?[jt]s$/i.test(name);
}

/** The migration in a TS/JS file, or undefined when the file is not one (other code of the project is never linted). */
export function extractMigration(text: string, path: string): TsMigration | undefined {
  const parsed = parseSource(text, path);
  if (!parsed) return undefined;
  const program = parsed.file.program;
  let shape: Shape | undefined;
  try {
    shape = isMigrationScriptPath(path) ? { framework: 'script' } : shapeOf(program.body as Node[], text);
  } catch (error) {
    if (error instanceof RangeError) return undefined; // nested too deeply to tell what it is
    throw error;
  }
  if (!shape) return undefined;
  const reader = new MigrationReader(text, shape.framework);
  try {
    reader.read(shape, program.body as Node[]);
  } catch (error) {
    // A file nested too deeply, or whose functions call each other too many times, is not read:
    // what it runs is unknown, and said so (it neither hangs nor crashes the tool).
    if (!(error instanceof RangeError) && error !== TOO_COMPLEX) throw error;
    reader.pieces.length = 0;
    reader.dynamicParts.splice(0, reader.dynamicParts.length, { start: 0, end: 0, description: 'the file is too deeply nested or too large for safemig to read its SQL' });
  }
  const optOuts = [...reader.optOuts];
  if (shape.config) optOuts.push(shape.config);
  if (shape.classTransaction) optOuts.push(shape.classTransaction);
  const wrapped = shape.framework !== 'script' && !shape.config && !shape.classTransaction;
  const down = shape.framework === 'script' || !shape.down ? 'none' : shape.down.type === 'BooleanLiteral' ? 'irreversible' : 'function';
  return {
    framework: shape.framework,
    sql: reader.pieces.sort((a, b) => a.call.start - b.call.start),
    down,
    irreversibleAt: down === 'irreversible' ? rangeOf(shape.down!) : undefined,
    runnerTransaction: { up: wrapped && !reader.noTransaction.up, down: wrapped && !reader.noTransaction.down },
    transactionOptOuts: optOuts.sort((a, b) => a.start - b.start),
    dynamic: reader.dynamicParts.sort((a, b) => a.start - b.start)[0],
    comments: lineComments(parsed.comments, text, reader),
    syntaxErrors: parsed.errors,
    partRanges: shape.framework === 'script'
      ? { up: { start: 0, end: text.length } }
      : { up: shape.up ? rangeOf(shape.up) : undefined, down: shape.down && isFunction(shape.down) ? rangeOf(shape.down) : undefined },
  };
}

/** Thrown when walking a file takes more steps than any real migration needs. */
const TOO_COMPLEX = new Error('too complex');
/** Nodes walked per file at most: far beyond any migration's size. */
const MAX_STEPS = 200_000;

interface Shape {
  framework: Framework;
  up?: FunctionLike;
  /** The DOWN function, or `false` (a BooleanLiteral). */
  down?: FunctionLike | Node;
  /** `config = { transaction: false }` (knex). */
  config?: SourceRange;
  /** `transaction = false` on a TypeORM class. */
  classTransaction?: SourceRange;
}

type FunctionLike = FunctionNode;

const isFunction = (node: Node | null | undefined): node is FunctionLike =>
  !!node && (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' || node.type === 'ClassMethod' || node.type === 'ObjectMethod');

/** The shape of a module: `up` / `down` exports, or a TypeORM migration class. */
function shapeOf(body: Node[], text: string): Shape | undefined {
  const locals = topLevelBindings(body);
  const resolve = (node: Node | null | undefined): Node | undefined => {
    const n = node ? unwrap(node) : undefined;
    return n?.type === 'Identifier' ? locals.get(n.name) : n;
  };
  const exported = new Map<string, Node>();
  const imports = new Set<string>();
  let migrationClass: Shape | undefined;
  const readObject = (object: Node) => {
    if (object.type !== 'ObjectExpression') return;
    for (const p of object.properties) {
      const name = p.type === 'ObjectProperty' || p.type === 'ObjectMethod' ? propertyName(p.key, p.computed) : undefined;
      const value = p.type === 'ObjectMethod' ? p : p.type === 'ObjectProperty' ? resolve(p.value as Node) : undefined;
      if (name && value) exported.set(name, value);
    }
  };
  for (const statement of body) {
    const s = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration ?? statement : statement;
    if (statement.type === 'ImportDeclaration') imports.add(statement.source.value);
    if (s.type === 'FunctionDeclaration' && s.id && statement !== s) exported.set(s.id.name, s);
    else if (s.type === 'VariableDeclaration') {
      for (const d of s.declarations) {
        if (d.id.type === 'Identifier' && d.init) {
          if (statement !== s) exported.set(d.id.name, resolve(d.init) ?? d.init);
          const required = requiredModule(d.init);
          if (required) imports.add(required);
        }
      }
    } else if (s.type === 'ClassDeclaration' || s.type === 'ClassExpression') {
      migrationClass ??= classShape(s);
    } else if (s.type === 'ExportNamedDeclaration') {
      for (const spec of s.specifiers) {
        if (spec.type !== 'ExportSpecifier') continue;
        const name = propertyName(spec.exported);
        const local = locals.get(spec.local.name);
        if (name && local) exported.set(name, local);
      }
    } else if (s.type === 'ExportDefaultDeclaration') {
      readObject(unwrap(s.declaration as Node));
    } else if (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression') {
      const { left, right } = s.expression;
      const target = exportTarget(left);
      const value = unwrap(right);
      if (target === '') {
        if (value.type === 'ClassExpression') migrationClass ??= classShape(value);
        else readObject(value);
      } else if (target) exported.set(target, resolve(value) ?? value);
    } else if (s.type === 'ExpressionStatement' && s.expression.type === 'CallExpression') {
      const required = requiredModule(s.expression);
      if (required) imports.add(required);
    }
  }
  if (migrationClass) return migrationClass;
  const up = exported.get('up');
  if (!isFunction(up)) return undefined;
  const down = exported.get('down');
  const config = exported.get('config');
  const transactionOff = config?.type === 'ObjectExpression' && config.properties.some((p) => p.type === 'ObjectProperty' && propertyName(p.key, p.computed) === 'transaction' && unwrap(p.value as Node).type === 'BooleanLiteral' && (unwrap(p.value as Node) as { value: boolean }).value === false);
  return {
    framework: frameworkOf(imports, up, text),
    up,
    down: isFunction(down) || (down?.type === 'BooleanLiteral' && !down.value) ? down : undefined,
    config: transactionOff ? rangeOf(config) : undefined,
  };
}

/** `exports.up`, `module.exports.up` → `up`; `module.exports` → ''; anything else undefined. */
function exportTarget(left: Node): string | undefined {
  if (left.type !== 'MemberExpression') return undefined;
  const name = propertyName(left.property, left.computed);
  const object = left.object;
  if (object.type === 'Identifier' && object.name === 'module' && name === 'exports') return '';
  if (object.type === 'Identifier' && object.name === 'exports') return name;
  if (object.type === 'MemberExpression' && exportTarget(object) === '') return name;
  return undefined;
}

/** `require('x')` → 'x'. */
function requiredModule(node: Node): string | undefined {
  const n = unwrap(node);
  if (n.type === 'MemberExpression') return requiredModule(n.object);
  if (n.type !== 'CallExpression' || n.callee.type !== 'Identifier' || n.callee.name !== 'require') return undefined;
  const arg = n.arguments[0];
  return arg?.type === 'StringLiteral' ? arg.value : undefined;
}

/** A TypeORM migration class: methods `up(queryRunner)` and `down(queryRunner)`. */
function classShape(node: Node): Shape | undefined {
  if (node.type !== 'ClassDeclaration' && node.type !== 'ClassExpression') return undefined;
  const implementsMigration = (node.implements ?? []).some((i) => i.type === 'TSExpressionWithTypeArguments' && i.expression.type === 'Identifier' && i.expression.name === 'MigrationInterface');
  const methods = new Map<string, FunctionLike>();
  let transactionOff: SourceRange | undefined;
  for (const member of node.body.body) {
    const name = 'key' in member ? propertyName(member.key as Node, (member as { computed?: boolean }).computed) : undefined;
    if (member.type === 'ClassMethod' && name) methods.set(name, member);
    if (member.type === 'ClassProperty' && name === 'transaction' && member.value) {
      const value = unwrap(member.value as Node);
      if (value.type === 'BooleanLiteral' && !value.value) transactionOff = rangeOf(member);
    }
  }
  const takesQueryRunner = (fn: FunctionLike | undefined) => {
    const param = fn?.params[0];
    if (!param || param.type !== 'Identifier') return false;
    const annotation = param.typeAnnotation?.type === 'TSTypeAnnotation' ? param.typeAnnotation.typeAnnotation : undefined;
    if (annotation) return annotation.type === 'TSTypeReference' && annotation.typeName.type === 'Identifier' && annotation.typeName.name === 'QueryRunner';
    return implementsMigration || param.name === 'queryRunner';
  };
  const up = methods.get('up');
  const down = methods.get('down');
  if (!takesQueryRunner(up) || !takesQueryRunner(down)) return undefined;
  return { framework: 'typeorm', up, down, classTransaction: transactionOff };
}

/** The framework of an up/down module: from what it imports, else the type or name of up's parameter, else how up uses it. */
function frameworkOf(imports: Set<string>, up: FunctionLike, text: string): Framework {
  for (const [module, framework] of [['node-pg-migrate', 'node-pg-migrate'], ['kysely', 'kysely'], ['knex', 'knex']] as const) if (imports.has(module)) return framework;
  const param = up.params[0];
  const hint = param ? text.slice(param.start ?? 0, param.end ?? 0) : '';
  if (hint.includes('MigrationBuilder') || hint.startsWith('pgm')) return 'node-pg-migrate';
  if (hint.includes('Kysely') || hint.startsWith('db')) return 'kysely';
  if (hint.includes('Knex') || hint.startsWith('knex')) return 'knex';
  const name = param?.type === 'Identifier' ? param.name : undefined;
  let usesBuilder = false;
  const visit = (node: Node) => {
    const member = memberCall(node);
    const object = member ? unwrap(member.object) : undefined;
    if (member && object?.type === 'Identifier' && object.name === name && (PGM_BUILDERS.has(member.name) || member.name === 'sql' || member.name === 'noTransaction')) usesBuilder = true;
    for (const child of childrenOf(node)) visit(child);
  };
  if (name) visit(up.body as Node);
  return usesBuilder ? 'node-pg-migrate' : 'knex';
}

function firstParamName(fn: FunctionLike | Node): string | undefined {
  const param = isFunction(fn) ? fn.params[0] : undefined;
  return param?.type === 'Identifier' ? param.name : undefined;
}

/** Top-level functions and constants by name. */
function topLevelBindings(body: Node[]): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const statement of body) {
    const s = statement.type === 'ExportNamedDeclaration' && statement.declaration ? statement.declaration : statement;
    if (s.type === 'FunctionDeclaration' && s.id) out.set(s.id.name, s);
    if (s.type === 'ClassDeclaration' && s.id) out.set(s.id.name, s);
    if (s.type === 'VariableDeclaration') for (const d of s.declarations) if (d.id.type === 'Identifier' && d.init) out.set(d.id.name, unwrap(d.init));
  }
  return out;
}

function lineComments(comments: Comment[], text: string, reader: MigrationReader): LineComment[] {
  return comments.filter((c) => c.type === 'CommentLine').map((c) => {
    const start = c.start ?? 0;
    let lineStart = start;
    while (lineStart > 0 && text[lineStart - 1] !== '\n' && text[lineStart - 1] !== '\r') lineStart--;
    const trailing = text.slice(lineStart, start).trim() !== '';
    const about = (trailing ? reader.trailedBy.get(start) : undefined) ?? reader.ledBy.get(start);
    return { start, end: c.end ?? 0, text: c.value, about };
  });
}

/** Where a walk is: which part, what control flow may skip it, whether it is the error path. */
export interface WalkContext {
  part: Part;
  conditional?: DynamicPart;
  onError: boolean;
  /** The innermost statement of the file around the node. */
  statement: SourceRange;
}

/** Walks the code an UP or DOWN part runs and collects its SQL. */
export class MigrationReader {
  readonly pieces: EmbeddedSql[] = [];
  readonly dynamicParts: DynamicPart[] = [];
  readonly optOuts: SourceRange[] = [];
  readonly noTransaction: Record<Part, boolean> = { up: false, down: false };
  /** Names of what up/down receive (knex, pgm, db, queryRunner): a call on it that is not read here runs unknown SQL. */
  readonly partParams = new Set<string>();
  /** Names that are postgres.js / Bun SQL clients, used as template tags. */
  private readonly sqlTags = new Set(['sql']);
  /** Local functions and `const` values by name (a name declared twice is left out: which one is meant is unknown). */
  private readonly functions = new Map<string, FunctionLike>();
  private readonly constants = new Map<string, Node>();
  private readonly walking = new Set<Node>();
  private steps = 0;
  /** The outermost node each comment leads or trails, by the comment's start. */
  readonly ledBy = new Map<number, SourceRange>();
  readonly trailedBy = new Map<number, SourceRange>();
  /** Local functions read, by function, part and context: whether they ran SQL. */
  private readonly walked = new Map<string, boolean>();
  private readonly placeholderCount = { n: 0 };
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly source: string,
    readonly framework: Framework,
  ) {
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  /** Local functions, constants and SQL clients declared anywhere in the file. */
  private collectBindings(body: Node[]): void {
    const twice = new Set<string>();
    const declare = (name: string, node: Node, into: Map<string, Node>) => {
      if (this.functions.has(name) || this.constants.has(name)) twice.add(name);
      into.set(name, node);
    };
    const visit = (node: Node) => {
      for (const c of node.leadingComments ?? []) if (!this.ledBy.has(c.start ?? 0)) this.ledBy.set(c.start ?? 0, rangeOf(node));
      for (const c of node.trailingComments ?? []) if (!this.trailedBy.has(c.start ?? 0)) this.trailedBy.set(c.start ?? 0, rangeOf(node));
      if (node.type === 'FunctionDeclaration' && node.id) declare(node.id.name, node, this.functions as Map<string, Node>);
      if (node.type === 'VariableDeclaration') {
        for (const d of node.declarations) {
          if (d.id.type !== 'Identifier' || !d.init) continue;
          const init = unwrap(d.init);
          if (isFunction(init)) declare(d.id.name, init, this.functions as Map<string, Node>);
          else if (node.kind === 'const') declare(d.id.name, init, this.constants);
          if (this.isClientCreation(init)) this.sqlTags.add(d.id.name);
        }
      }
      for (const child of childrenOf(node)) visit(child);
    };
    for (const statement of body) visit(statement);
    for (const name of twice) {
      this.functions.delete(name);
      this.constants.delete(name);
    }
  }

  /** `postgres(url)`, `new SQL(url)` (Bun), possibly awaited: a client used as a template tag. */
  private isClientCreation(init: Node): boolean {
    const n = init.type === 'AwaitExpression' ? unwrap(init.argument) : init;
    if (n.type === 'CallExpression') return n.callee.type === 'Identifier' && n.callee.name === 'postgres';
    if (n.type !== 'NewExpression') return false;
    const callee = n.callee;
    return (callee.type === 'Identifier' && callee.name === 'SQL') || (callee.type === 'MemberExpression' && propertyName(callee.property, callee.computed) === 'SQL');
  }

  /** Walks the whole script, or the UP and DOWN functions. */
  read(shape: Shape, body: Node[]): void {
    this.collectBindings(body);
    if (shape.framework === 'script') return this.walkBlock(body, this.rootContext('up'));
    for (const part of ['up', 'down'] as const) {
      const fn = shape[part];
      if (!fn || fn.type === 'BooleanLiteral') continue;
      const param = firstParamName(fn);
      if (param) this.partParams.add(param);
      this.walkFunction(fn as FunctionLike, this.rootContext(part));
    }
  }

  rootContext(part: Part): WalkContext {
    return { part, onError: false, statement: { start: 0, end: 0 } };
  }

  /** 1-based line of an offset, for descriptions. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Source text of a node, shortened for a message. */
  snippet(node: Node | SourceRange, max = 60): string {
    const text = collapseSpaces(this.source.slice(node.start ?? 0, node.end ?? 0));
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  }

  walkFunction(fn: FunctionLike, ctx: WalkContext): void {
    if (this.walking.has(fn)) return;
    this.walking.add(fn);
    if (fn.body.type === 'BlockStatement') this.walkBlock(fn.body.body as Node[], ctx);
    else this.walk(fn.body as Node, { ...ctx, statement: rangeOf(fn.body as Node) });
    this.walking.delete(fn);
  }

  /** Statements in order: after one that may leave early (`if (…) return`), the rest runs only sometimes. */
  walkBlock(statements: Node[], ctx: WalkContext): void {
    let c = ctx;
    for (const statement of statements) {
      this.walk(statement, c);
      if (!c.conditional && (statement.type === 'IfStatement' || statement.type === 'SwitchStatement' || LOOP_TYPES.has(statement.type)) && this.exitsEarly(statement)) {
        const head = statement.type === 'IfStatement' ? statement.test : statement;
        c = { ...c, conditional: { ...rangeOf(head), description: `\`${this.snippet(head)}\` (line ${this.lineOf(head.start ?? 0)}) may leave before the SQL after it runs` } };
      }
    }
  }

  /**
   * Whether a statement may leave the block it sits in: a `return`, `throw` or `process.exit()`,
   * or a `break` / `continue` not inside a loop or switch of its own (nested functions aside).
   */
  private exitsEarly(node: Node, inLoop = false): boolean {
    if (node.type === 'ReturnStatement' || node.type === 'ThrowStatement') return true;
    if (node.type === 'BreakStatement' || node.type === 'ContinueStatement') return !inLoop;
    if (isFunction(node)) return false;
    const member = memberCall(node);
    if (member?.name === 'exit' && unwrap(member.object).type === 'Identifier' && (unwrap(member.object) as { name: string }).name === 'process') return true;
    const loop = inLoop || LOOP_TYPES.has(node.type) || node.type === 'SwitchStatement';
    return childrenOf(node).some((child) => this.exitsEarly(child, loop));
  }

  private conditionally(ctx: WalkContext, head: Node, what: string): WalkContext {
    if (ctx.conditional) return ctx;
    return { ...ctx, conditional: { ...rangeOf(head), description: `${what} \`${this.snippet(head)}\` (line ${this.lineOf(head.start ?? 0)}) decides whether the SQL in it runs` } };
  }

  walk(node: Node, ctx: WalkContext): void {
    if (++this.steps > MAX_STEPS) throw TOO_COMPLEX;
    const c = node.type.endsWith('Statement') || node.type === 'VariableDeclaration' ? { ...ctx, statement: rangeOf(node) } : ctx;
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'ClassDeclaration':
        return; // run only when called
      case 'VariableDeclarator':
        if (node.init && isFunction(unwrap(node.init))) return;
        break;
      case 'BlockStatement':
        return this.walkBlock(node.body as Node[], c);
      case 'IfStatement': {
        this.walk(node.test, c);
        const inner = this.conditionally(c, node.test, 'the `if`');
        this.walk(node.consequent, inner);
        if (node.alternate) this.walk(node.alternate, inner);
        return;
      }
      case 'ConditionalExpression': {
        this.walk(node.test, c);
        const inner = this.conditionally(c, node.test, 'the condition');
        this.walk(node.consequent, inner);
        this.walk(node.alternate, inner);
        return;
      }
      case 'LogicalExpression':
        this.walk(node.left, c);
        this.walk(node.right, this.conditionally(c, node.left, `the \`${node.operator}\` after`));
        return;
      case 'SwitchStatement':
        this.walk(node.discriminant, c);
        for (const k of node.cases) this.walkBlock(k.consequent as Node[], this.conditionally(c, node.discriminant, 'the `switch` on'));
        return;
      case 'TryStatement':
        this.walk(node.block, c);
        if (node.handler) this.walk(node.handler.body, { ...c, onError: true });
        if (node.finalizer) this.walk(node.finalizer, c);
        return;
      case 'TaggedTemplateExpression':
        if (this.isSqlTag(node.tag)) return this.addTemplateSql(node, c);
        break;
      case 'CallExpression':
      case 'OptionalCallExpression':
        if (this.visitCall(node, c)) return;
        break;
    }
    if (LOOP_TYPES.has(node.type)) {
      const inner = this.conditionally(c, node, 'the loop');
      for (const child of childrenOf(node)) this.walk(child, inner);
      return;
    }
    for (const child of childrenOf(node)) {
      if (isFunction(child) && child.type !== 'ArrowFunctionExpression' && child.type !== 'FunctionExpression') continue;
      if (isFunction(child)) this.walkFunction(child, c);
      else this.walk(child, c);
    }
  }

  private isSqlTag(tag: Node): boolean {
    const t = unwrap(tag);
    if (t.type === 'Identifier') return this.sqlTags.has(t.name);
    if (t.type === 'MemberExpression') return propertyName(t.property, t.computed) === 'sql';
    return false;
  }

  /** Handles a call that runs SQL, a builder or a local function; false when it is none of them. */
  private visitCall(node: CallExpression | Node, ctx: WalkContext): boolean {
    if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return false;
    const member = memberCall(node);
    // A local function: its SQL runs here.
    if (node.callee.type === 'Identifier' && this.functions.has(node.callee.name)) {
      for (const arg of node.arguments) this.walk(arg as Node, ctx);
      const fn = this.functions.get(node.callee.name)!;
      // Each function is read once per part and context: its SQL is listed once. Run again, it
      // repeats SQL, which a list of statements does not say: not static.
      const key = `${fn.start}:${ctx.part}:${ctx.onError}:${ctx.conditional?.start ?? -1}`;
      const before = this.pieces.length;
      if (!this.walked.has(key)) {
        this.walked.set(key, false);
        this.walkFunction(fn, ctx);
        this.walked.set(key, this.pieces.length > before);
      } else if (this.walked.get(key)) this.unread(node, ctx, `\`${this.snippet(node)}\` runs the SQL of \`${node.callee.name}\` once more`);
      return true;
    }
    const handed = node.arguments.find((a) => a.type === 'Identifier' && this.partParams.has(a.name));
    if (node.callee.type === 'Identifier' && handed) {
      this.unread(node, ctx, `\`${this.snippet(node.callee)}(…)\` is given \`${this.snippet(handed as Node)}\` and may run SQL that safemig does not read`);
      return false;
    }
    if (!member) {
      if (node.callee.type === 'Identifier' && this.partParams.has(node.callee.name)) this.unread(node, ctx, `\`${this.snippet(node)}\` runs SQL that safemig does not read`);
      return false;
    }
    if (member.name === 'catch') {
      this.walk(member.object, ctx);
      for (const arg of member.args) if (isFunction(arg)) this.walkFunction(arg, { ...ctx, onError: true });
      return true;
    }
    const object = unwrap(member.object);
    if (CLIENT_CALLBACKS.has(member.name) && object.type === 'Identifier' && this.sqlTags.has(object.name)) {
      for (const arg of member.args) {
        const name = firstParamName(arg);
        if (name) this.sqlTags.add(name);
      }
      return false;
    }
    // kysely's `db.schema` is a builder of its own, not read here.
    const chain = this.framework === 'knex' || this.framework === 'script' ? knexSchemaChain(node) : undefined;
    if (chain) {
      knexStatements(chain, this, ctx);
      return true;
    }
    if (this.framework === 'node-pg-migrate' && object.type === 'Identifier' && this.partParams.has(object.name)) {
      if (member.name === 'noTransaction') {
        this.noTransaction[ctx.part] = true;
        this.optOuts.push(rangeOf(node));
        return true;
      }
      if (PGM_BUILDERS.has(member.name)) {
        pgmStatements(node as CallExpression, member.name, this, ctx);
        return true;
      }
    }
    if (SQL_METHODS.has(member.name) && member.args.length > 0 && this.addCallSql(node as CallExpression, member.name, member.args, ctx)) return true;
    const root = chainRoot(node);
    if (root && this.partParams.has(root) && !NO_SQL_METHODS.has(member.name)) this.unread(node, ctx, `\`${this.snippet(node)}\` runs SQL that safemig does not read`);
    return false;
  }

  /** A call that runs SQL this reader does not know: the migration is not static. */
  private unread(node: Node, ctx: WalkContext, description: string): void {
    if (!ctx.onError) this.dynamicParts.push({ ...rangeOf(node), description: `${description} (line ${this.lineOf(node.start ?? 0)})` });
  }

  /** `x.query(sql, …)`, `knex.raw(sql, bindings)`, `pgm.sql(sql)` …: false when the argument is not SQL text. */
  addCallSql(call: CallExpression, via: string, args: Node[], ctx: WalkContext): boolean {
    let arg = unwrap(args[0]);
    if (via === 'query' && arg.type === 'ObjectExpression') {
      const text = arg.properties.find((p) => p.type === 'ObjectProperty' && propertyName(p.key, p.computed) === 'text');
      if (text?.type === 'ObjectProperty') arg = unwrap(text.value as Node);
    }
    // `query(big ? 'VACUUM t' : 'ANALYZE t')`: each branch is SQL that runs only sometimes.
    const branches: Array<[Node, WalkContext]> = arg.type === 'ConditionalExpression'
      ? [[unwrap(arg.consequent), this.conditionally(ctx, arg.test, 'the condition')], [unwrap(arg.alternate), this.conditionally(ctx, arg.test, 'the condition')]]
      : [[arg, ctx]];
    const read = branches.map(([node, c]) => {
      const builder = new SqlBuilder(this.placeholderCount);
      return { builder, computed: this.appendText(builder, node), c };
    });
    // `.execute(db)` is kysely running a query object, not SQL text.
    if (via === 'execute' && read.some((r) => r.computed)) return false;
    if (arg.type === 'ConditionalExpression') this.walk(arg.test, ctx);
    for (const { builder, computed, c } of read) {
      if (computed) {
        if (!c.onError) this.dynamicParts.push({ ...rangeOf(computed), description: `the SQL handed to \`${via}(…)\` is computed when the migration runs (\`${this.snippet(computed)}\`, line ${this.lineOf(computed.start ?? 0)})` });
        this.walk(computed, c);
        continue;
      }
      if (via === 'raw' && args.length > 1) builder.bindPlaceholders(unwrap(args[1]).type === 'ObjectExpression');
      this.add(builder, via, 'string', call, c);
    }
    for (const a of args.slice(1)) this.walk(a, ctx);
    return true;
  }


  private addTemplateSql(node: TaggedTemplateExpression, ctx: WalkContext): void {
    const builder = new SqlBuilder(this.placeholderCount);
    this.appendText(builder, node.quasi);
    this.add(builder, 'sql', 'string', node, ctx);
  }

  /** Appends the SQL of a string expression; returns the part that is not text known here, if any. */
  appendText(builder: SqlBuilder, node: Node, seen = new Set<string>()): Node | undefined {
    const n = unwrap(node);
    if (n.type === 'StringLiteral') {
      builder.addLiteralText(this.source, (n.start ?? 0) + 1, (n.end ?? 0) - 1, literalOf(n, this.source), false);
      return undefined;
    }
    if (n.type === 'TemplateLiteral') {
      const literal: Literal = literalOf(n, this.source);
      n.quasis.forEach((q, i) => {
        builder.addLiteralText(this.source, q.start ?? 0, q.end ?? 0, literal, true);
        if (i < n.expressions.length) builder.addPlaceholder({ start: q.end ?? 0, end: n.quasis[i + 1].start ?? 0 });
      });
      return undefined;
    }
    if (n.type === 'BinaryExpression' && n.operator === '+') return this.appendText(builder, n.left as Node, seen) ?? this.appendText(builder, n.right, seen);
    if (n.type === 'Identifier' && this.constants.has(n.name) && !seen.has(n.name)) {
      seen.add(n.name);
      return this.appendText(builder, this.constants.get(n.name)!, seen);
    }
    return n;
  }

  /** Records a piece of SQL; its placeholders and the control flow around it make the migration dynamic. */
  add(builder: SqlBuilder, via: string, origin: 'string' | 'builder', call: Node | SourceRange, ctx: WalkContext): EmbeddedSql {
    const piece = builder.build(via, origin, ctx.part, { start: call.start ?? 0, end: call.end ?? 0 }, ctx.statement, ctx.onError, ctx.conditional !== undefined);
    this.pieces.push(piece);
    if (!piece.onError) {
      if (ctx.conditional) this.dynamicParts.push(ctx.conditional);
      const first = piece.placeholders[0];
      if (first) this.dynamicParts.push({ ...first.source, description: `the SQL has a value known only when the migration runs: \`${this.snippet(first.source)}\` (line ${this.lineOf(first.source.start)})` });
    }
    return piece;
  }

  /** A node's constant value: a string, number, boolean or null written here (or in a `const`); undefined otherwise. */
  constant(node: Node | null | undefined, seen = new Set<string>()): string | number | boolean | null | undefined {
    if (!node) return undefined;
    const n = unwrap(node);
    switch (n.type) {
      case 'StringLiteral':
      case 'NumericLiteral':
      case 'BooleanLiteral':
        return n.value;
      case 'NullLiteral':
        return null;
      case 'TemplateLiteral':
        return n.expressions.length === 0 ? n.quasis[0].value.cooked ?? undefined : undefined;
      case 'UnaryExpression':
        if (n.operator === '-' && n.argument.type === 'NumericLiteral') return -n.argument.value;
        return undefined;
      case 'Identifier':
        if (!this.constants.has(n.name) || seen.has(n.name)) return undefined;
        seen.add(n.name);
        return this.constant(this.constants.get(n.name), seen);
      default:
        return undefined;
    }
  }

  /** The node a `const` name stands for (an object or array literal), or the node itself. */
  resolve(node: Node): Node {
    const n = unwrap(node);
    return n.type === 'Identifier' && this.constants.has(n.name) ? unwrap(this.constants.get(n.name)!) : n;
  }

  /** Notes a part of a builder call whose value is known only at run time. */
  dynamicValue(node: Node, ctx: WalkContext, what: string): void {
    if (!ctx.onError) this.dynamicParts.push({ ...rangeOf(node), description: `${what} is known only when the migration runs: \`${this.snippet(node)}\` (line ${this.lineOf(node.start ?? 0)})` });
  }

  placeholders(): { n: number } {
    return this.placeholderCount;
  }
}


/** The identifier a call chain starts from: `knex` in `knex('t').insert(…)`, `db` in `db.schema.createTable(…).execute()`. */
function chainRoot(node: Node): string | undefined {
  let n = unwrap(node);
  for (;;) {
    if (n.type === 'CallExpression' || n.type === 'OptionalCallExpression') n = unwrap(n.callee as Node);
    else if (n.type === 'MemberExpression' || n.type === 'OptionalMemberExpression') n = unwrap(n.object);
    else if (n.type === 'AwaitExpression') n = unwrap(n.argument);
    else return n.type === 'Identifier' ? n.name : undefined;
  }
}

/** The text on one line: each run of white space becomes one space. */
function collapseSpaces(text: string): string {
  let out = '';
  let space = false;
  for (const c of text) {
    const isSpace = c === ' ' || c === '\t' || c === '\n' || c === '\r';
    if (isSpace && !space) out += ' ';
    else if (!isSpace) out += c;
    space = isSpace;
  }
  return out;
}
