/**
 * The outline and folding of a migration file: its UP and DOWN parts, each statement with a short
 * label read from the parse tree (`ALTER TABLE users ADD COLUMN email`), and folding ranges for the
 * parts, multi-line statements and comment blocks. Built from the lint result's Migration, so the
 * file is parsed once per version.
 */
import type { AlterTableCmd, Node, RangeVar } from 'libpg-query';
import { DocumentSymbol, FoldingRange, FoldingRangeKind, Range, SymbolKind } from 'vscode-languageserver';
import type { Migration, Part, Statement } from '../migration/migration';
import { alterActions, names, nodeOf, qualifiedName, quoteIdent } from '../sql/ast';
import { lex, Token } from '../sql/lexer';

/** UP and DOWN parts (those with a marker or statements), each with its statements. */
export function documentSymbols(migration: Migration): DocumentSymbol[] {
  // A TS/JS migration's outline and folding are the TypeScript language's.
  if (migration.convention.embedded) return [];
  const out: DocumentSymbol[] = [];
  for (const part of migration.parts) {
    if (!part.marker && part.statements.length === 0) continue;
    const start = part.marker?.start ?? part.statements[0].start;
    const end = contentEnd(migration.text, part) ?? part.marker?.end ?? start;
    const selection = part.marker ?? { start: part.statements[0].start, end: headEnd(migration, part.statements[0]) };
    out.push({
      name: part.kind === 'up' ? 'UP' : 'DOWN',
      detail: partDetail(migration, part),
      kind: SymbolKind.Namespace,
      range: range(migration, start, end),
      selectionRange: range(migration, selection.start, selection.end),
      children: part.statements.map((s) => statementSymbol(migration, s)),
    });
  }
  return out;
}

function statementSymbol(migration: Migration, statement: Statement): DocumentSymbol {
  const end = migration.text.charCodeAt(statement.end) === 59 /* ; */ ? statement.end + 1 : statement.end;
  return {
    name: statementLabel(statement, migration.text),
    detail: statement.node ? undefined : 'syntax error',
    kind: symbolKind(statement.kind),
    range: range(migration, statement.start, end),
    selectionRange: range(migration, statement.start, headEnd(migration, statement)),
  };
}

function partDetail(migration: Migration, part: Part): string {
  const { convention } = migration;
  const what = part.marker ? migration.text.slice(part.marker.start, part.marker.end) : convention.role === 'migration' ? convention.name : `${convention.name} ${convention.role} file`;
  return [what, part.commentedOut ? 'commented out' : '', part.runnerTransaction ? 'in a transaction' : ''].filter((x) => x !== '').join(', ');
}

/** End of the last non-blank character of a part; undefined when the part is blank. */
function contentEnd(text: string, part: Part): number | undefined {
  let end = part.end;
  while (end > part.start && /\s/.test(text[end - 1])) end--;
  return end > part.start ? end : undefined;
}

/** End of a statement's first line: what the editor highlights when the symbol is chosen. */
function headEnd(migration: Migration, statement: Statement): number {
  const line = migration.lines.positionAt(statement.start).line;
  return Math.min(statement.end, migration.lines.lineEnd(line));
}

function range(migration: Migration, start: number, end: number): Range {
  return migration.lines.rangeOf(start, end);
}

const KINDS: Record<string, SymbolKind> = {
  CreateStmt: SymbolKind.Class,
  CreateTableAsStmt: SymbolKind.Class,
  AlterTableStmt: SymbolKind.Property,
  RenameStmt: SymbolKind.Property,
  IndexStmt: SymbolKind.Key,
  ViewStmt: SymbolKind.Interface,
  CreateFunctionStmt: SymbolKind.Function,
  DoStmt: SymbolKind.Function,
  CreateTrigStmt: SymbolKind.Event,
  CreateSeqStmt: SymbolKind.Number,
  CreateEnumStmt: SymbolKind.Enum,
  CompositeTypeStmt: SymbolKind.Struct,
  CreateSchemaStmt: SymbolKind.Package,
  CreateExtensionStmt: SymbolKind.Package,
  DropStmt: SymbolKind.Operator,
  InsertStmt: SymbolKind.Variable,
  UpdateStmt: SymbolKind.Variable,
  DeleteStmt: SymbolKind.Variable,
  TruncateStmt: SymbolKind.Variable,
  VariableSetStmt: SymbolKind.Constant,
  TransactionStmt: SymbolKind.Operator,
};

function symbolKind(kind: string): SymbolKind {
  return KINDS[kind] ?? SymbolKind.Object;
}

// ---------------------------------------------------------------------------------------------
// Labels

const OBJECT_WORDS: Record<string, string> = {
  OBJECT_TABLE: 'TABLE',
  OBJECT_INDEX: 'INDEX',
  OBJECT_SEQUENCE: 'SEQUENCE',
  OBJECT_VIEW: 'VIEW',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
  OBJECT_TYPE: 'TYPE',
  OBJECT_DOMAIN: 'DOMAIN',
  OBJECT_SCHEMA: 'SCHEMA',
  OBJECT_EXTENSION: 'EXTENSION',
  OBJECT_FUNCTION: 'FUNCTION',
  OBJECT_PROCEDURE: 'PROCEDURE',
  OBJECT_TRIGGER: 'TRIGGER',
  OBJECT_POLICY: 'POLICY',
  OBJECT_RULE: 'RULE',
  OBJECT_COLLATION: 'COLLATION',
  OBJECT_PUBLICATION: 'PUBLICATION',
  OBJECT_ROLE: 'ROLE',
};

const CONSTRAINT_WORDS: Record<string, string> = {
  CONSTR_FOREIGN: 'FOREIGN KEY',
  CONSTR_CHECK: 'CHECK',
  CONSTR_UNIQUE: 'UNIQUE',
  CONSTR_PRIMARY: 'PRIMARY KEY',
  CONSTR_EXCLUSION: 'EXCLUDE',
  CONSTR_NOTNULL: 'NOT NULL',
};

/**
 * A short label for a statement: its kind and the objects it touches, from the parse tree
 * (`ALTER TABLE users ADD COLUMN email`, `CREATE INDEX CONCURRENTLY idx ON t`), else its first
 * words as written.
 */
export function statementLabel(statement: Statement, text: string): string {
  const node = statement.node;
  if (!node) return leadingWords(statement, text);
  const alter = nodeOf(node, 'AlterTableStmt');
  if (alter) {
    const head = `ALTER ${OBJECT_WORDS[alter.objtype ?? 'OBJECT_TABLE'] ?? 'TABLE'} ${qualifiedName(alter.relation)}`;
    const cmds = (alter.cmds ?? []).map((c) => nodeOf(c, 'AlterTableCmd') ?? {});
    const actions = alterActions(statement, cmds, alter.relation?.location).map((a) => cmdLabel(a.cmd, clauseTokens(statement, a.start, a.end), text) ?? render(clauseTokens(statement, a.start, a.end), text, 5));
    const shown = actions.length > 3 ? [...actions.slice(0, 2), `… (+${actions.length - 2} more)`] : actions;
    return `${head} ${shown.join(', ')}`.trim();
  }
  const rename = nodeOf(node, 'RenameStmt');
  if (rename?.relation) {
    const on = `ALTER ${OBJECT_WORDS[rename.renameType === 'OBJECT_COLUMN' || rename.renameType === 'OBJECT_TABCONSTRAINT' ? rename.relationType ?? 'OBJECT_TABLE' : rename.renameType ?? 'OBJECT_TABLE'] ?? 'TABLE'} ${qualifiedName(rename.relation)}`;
    if (rename.renameType === 'OBJECT_COLUMN') return `${on} RENAME COLUMN ${ident(rename.subname)} TO ${ident(rename.newname)}`;
    if (rename.renameType === 'OBJECT_TABCONSTRAINT') return `${on} RENAME CONSTRAINT ${ident(rename.subname)} TO ${ident(rename.newname)}`;
    return `${on} RENAME TO ${ident(rename.newname)}`;
  }
  const index = nodeOf(node, 'IndexStmt');
  if (index) {
    const name = index.idxname ? `${ident(index.idxname)} ` : '';
    return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${index.concurrent ? 'CONCURRENTLY ' : ''}${name}ON ${qualifiedName(index.relation)}`;
  }
  const table = nodeOf(node, 'CreateStmt');
  if (table) return `CREATE TABLE ${qualifiedName(table.relation)}`;
  const tableAs = nodeOf(node, 'CreateTableAsStmt');
  if (tableAs) return tableAs.objtype === 'OBJECT_MATVIEW' ? `CREATE MATERIALIZED VIEW ${qualifiedName(tableAs.into?.rel)}` : `CREATE TABLE ${qualifiedName(tableAs.into?.rel)} AS`;
  const view = nodeOf(node, 'ViewStmt');
  if (view) return `CREATE VIEW ${qualifiedName(view.view)}`;
  const fn = nodeOf(node, 'CreateFunctionStmt');
  if (fn) return `CREATE ${fn.is_procedure ? 'PROCEDURE' : 'FUNCTION'} ${dotted(names(fn.funcname))}`;
  const trigger = nodeOf(node, 'CreateTrigStmt');
  if (trigger) return `CREATE TRIGGER ${ident(trigger.trigname)} ON ${qualifiedName(trigger.relation)}`;
  const sequence = nodeOf(node, 'CreateSeqStmt');
  if (sequence) return `CREATE SEQUENCE ${qualifiedName(sequence.sequence)}`;
  const enumType = nodeOf(node, 'CreateEnumStmt');
  if (enumType) return `CREATE TYPE ${dotted(names(enumType.typeName))} AS ENUM`;
  const composite = nodeOf(node, 'CompositeTypeStmt');
  if (composite) return `CREATE TYPE ${qualifiedName(composite.typevar)}`;
  const extension = nodeOf(node, 'CreateExtensionStmt');
  if (extension) return `CREATE EXTENSION ${ident(extension.extname)}`;
  const schema = nodeOf(node, 'CreateSchemaStmt');
  if (schema) return `CREATE SCHEMA ${ident(schema.schemaname)}`;
  const drop = nodeOf(node, 'DropStmt');
  if (drop) {
    const objects = (drop.objects ?? []).map(objectName);
    const shown = objects.length > 2 ? [...objects.slice(0, 2), '…'] : objects;
    return `DROP ${OBJECT_WORDS[drop.removeType ?? ''] ?? leadingWords(statement, text, 2).replace(/^DROP\s+/i, '').toUpperCase()} ${drop.concurrent ? 'CONCURRENTLY ' : ''}${shown.join(', ')}`;
  }
  const insert = nodeOf(node, 'InsertStmt');
  if (insert) return `INSERT INTO ${qualifiedName(insert.relation)}`;
  const update = nodeOf(node, 'UpdateStmt');
  if (update) return `UPDATE ${qualifiedName(update.relation)}`;
  const del = nodeOf(node, 'DeleteStmt');
  if (del) return `DELETE FROM ${qualifiedName(del.relation)}`;
  const truncate = nodeOf(node, 'TruncateStmt');
  if (truncate) return `TRUNCATE ${(truncate.relations ?? []).map((r) => qualifiedName(nodeOf(r, 'RangeVar') as RangeVar | undefined)).join(', ')}`;
  if (nodeOf(node, 'DoStmt')) return 'DO block';
  return leadingWords(statement, text);
}

function cmdLabel(cmd: AlterTableCmd, clause: Token[], text: string): string | undefined {
  const column = ident(cmd.name);
  switch (cmd.subtype) {
    case 'AT_AddColumn':
      return `ADD COLUMN ${ident(nodeOf(cmd.def, 'ColumnDef')?.colname)}`;
    case 'AT_DropColumn':
      return `DROP COLUMN ${column}`;
    case 'AT_AlterColumnType': {
      // The type as written (`bigint`, not the parser's `int8`), up to USING / COLLATE.
      const at = clause.findIndex((t) => t.value === 'TYPE');
      const end = clause.findIndex((t, i) => i > at && (t.value === 'USING' || t.value === 'COLLATE'));
      return `ALTER COLUMN ${column} TYPE ${render(clause.slice(at + 1, end < 0 ? undefined : end), text, 4)}`.trim();
    }
    case 'AT_SetNotNull':
      return `ALTER COLUMN ${column} SET NOT NULL`;
    case 'AT_DropNotNull':
      return `ALTER COLUMN ${column} DROP NOT NULL`;
    case 'AT_ColumnDefault':
      return `ALTER COLUMN ${column} ${cmd.def ? 'SET' : 'DROP'} DEFAULT`;
    case 'AT_AddConstraint': {
      const constraint = nodeOf(cmd.def, 'Constraint');
      const kind = CONSTRAINT_WORDS[constraint?.contype ?? ''] ?? '';
      const named = constraint?.conname ? `CONSTRAINT ${ident(constraint.conname)} ` : '';
      return `ADD ${named}${kind}${constraint?.skip_validation ? ' NOT VALID' : ''}`.trim();
    }
    case 'AT_ValidateConstraint':
      return `VALIDATE CONSTRAINT ${column}`;
    case 'AT_DropConstraint':
      return `DROP CONSTRAINT ${column}`;
    default:
      return undefined;
  }
}

function objectName(node: Node): string {
  const list = nodeOf(node, 'List');
  if (list) return dotted(names(list.items));
  const withArgs = nodeOf(node, 'ObjectWithArgs');
  if (withArgs) return dotted(names(withArgs.objname));
  const type = nodeOf(node, 'TypeName');
  if (type) return dotted(names(type.names));
  return ident(nodeOf(node, 'String')?.sval);
}

function dotted(parts: string[]): string {
  return parts.map(quoteIdent).join('.');
}

function ident(name: string | undefined): string {
  return name ? quoteIdent(name) : '';
}

/** The tokens of an ALTER TABLE clause (`ENABLE ROW LEVEL SECURITY`). */
function clauseTokens(statement: Statement, start: number, end: number): Token[] {
  return statement.sqlTokens.filter((t) => t.start >= start && t.end <= end);
}

/** The statement's first words as written, up to a parenthesis. */
function leadingWords(statement: Statement, text: string, max = 8): string {
  const tokens = statement.sqlTokens;
  const stop = tokens.findIndex((t) => t.value === '(' || t.value === ';');
  return render(stop < 0 ? tokens : tokens.slice(0, stop), text, max) || text.slice(statement.start, statement.end).split('\n')[0].trim();
}

function render(tokens: Token[], text: string, max: number): string {
  let out = '';
  for (const [i, t] of tokens.slice(0, max).entries()) {
    let word = text.slice(t.start, t.end);
    if (t.kind === 'string' && word.length > 24) word = `${word.slice(0, 20)}…`;
    const previous = tokens[i - 1];
    // `a.b`, `a, b`, `varchar(20)`: no space where SQL is written without one.
    const glue = i === 0 || t.value === '.' || t.value === ',' || t.value === ')' || previous.value === '.' || previous.value === '(' || (t.value === '(' && previous.kind === 'word');
    out += (glue ? '' : ' ') + word;
  }
  return tokens.length > max ? `${out} …` : out;
}

// ---------------------------------------------------------------------------------------------
// Folding

/**
 * Folding ranges: each part from its marker to its last line, each statement that spans lines,
 * and each block of two or more comment lines (a header, a commented-out statement).
 */
export function foldingRanges(migration: Migration): FoldingRange[] {
  if (migration.convention.embedded) return [];
  const { lines, text } = migration;
  const line = (offset: number) => lines.positionAt(offset).line;
  const out: FoldingRange[] = [];
  const commentedLines = new Set<number>();
  for (const part of migration.parts) {
    if (part.marker) {
      const startLine = line(part.marker.start);
      const endLine = line(contentEnd(text, part) ?? part.marker.end);
      if (endLine > startLine) out.push({ startLine, endLine, kind: FoldingRangeKind.Region });
    }
    if (part.commentedOut) for (let l = line(part.start); l <= line(part.end); l++) commentedLines.add(l);
    for (const statement of part.statements) {
      const startLine = line(statement.start);
      const endLine = line(statement.end);
      if (endLine > startLine) out.push({ startLine, endLine });
    }
  }
  const markerLines = new Set(migration.parts.filter((p) => p.marker).map((p) => line(p.marker!.start)));
  let run: { first: number; last: number } | undefined;
  const flush = () => {
    if (run && run.last > run.first) out.push({ startLine: run.first, endLine: run.last, kind: FoldingRangeKind.Comment });
    run = undefined;
  };
  for (const token of lex(text)) {
    if (token.kind !== 'comment') continue;
    const first = line(token.start);
    const last = line(token.end);
    if (last > first) {
      flush();
      out.push({ startLine: first, endLine: last, kind: FoldingRangeKind.Comment }); // a /* … */ block
      continue;
    }
    // Only comments alone on their line, outside commented-out parts and not part markers.
    const ownLine = text.slice(lines.lineStart(first), token.start).trim() === '';
    if (!ownLine || markerLines.has(first) || commentedLines.has(first)) {
      flush();
      continue;
    }
    if (run && run.last === first - 1) run.last = first;
    else {
      flush();
      run = { first, last: first };
    }
  }
  flush();
  // One range per start line (an editor keeps only one): the outermost.
  out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  return out.filter((r, i) => i === 0 || r.startLine !== out[i - 1].startLine);
}
