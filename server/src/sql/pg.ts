/**
 * PostgreSQL's own parser (libpg-query's WASM build), loaded once per process. The package's
 * JavaScript wrapper copies the text in and the tree out one byte at a time in JavaScript; this
 * binding talks to the same WASM exports with the platform's UTF-8 encoder and decoder, which
 * makes parsing the corpus faster. `test/sql/parse.test.ts` holds the
 * binding to the package's own `parseSync`, so an upgrade that changes the exports is caught.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Node } from 'libpg-query';
import createPgQueryModule from 'libpg-query/wasm/libpg-query.js';

/** The WASM exports used here (see libpg-query's wasm/index.js for their contract). */
interface PgQueryModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  /** Parses a NUL-terminated UTF-8 string; returns a PgQueryParseResult {tree, stderr, error}. */
  _wasm_parse_query_raw(query: number): number;
  _wasm_free_parse_result(result: number): void;
  getValue(pointer: number, type: 'i32'): number;
}

let loaded: Promise<void> | undefined;
let pg: PgQueryModule | undefined;
let compiled: WebAssembly.Module | undefined;

/**
 * Loads the parser's WASM module; call once at startup before parsing. It is compiled and
 * instantiated before this returns (V8 compiles its functions lazily, so that takes milliseconds):
 * left to the event loop, it would wait for whatever synchronous work follows, such as
 * `safemig check`'s search for files. Only the module's own start-up is left to the promise.
 */
export function initParser(): Promise<void> {
  loaded ??= new Promise<void>((resolve, reject) => {
    compiled = new WebAssembly.Module(readFileSync(parserWasmPath()));
    const { module, started } = instantiate(compiled);
    started.then(() => {
      pg = module;
      resolve();
    }, reject);
  });
  return loaded;
}

/**
 * A new instance of the compiled parser. It is given its WASM instance at once, so the module is
 * usable as soon as this returns; `started` settles when its start-up has run.
 */
function instantiate(wasm: WebAssembly.Module): { module: PgQueryModule; started: Promise<unknown> } {
  const module = {
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance) => void) {
      receive(new WebAssembly.Instance(wasm, imports));
      return {};
    },
  };
  const started = createPgQueryModule(module) as Promise<unknown>;
  return { module: module as unknown as PgQueryModule, started };
}

/**
 * The parser failed inside WASM (out of stack on a deeply nested expression): its memory is left
 * as it was mid-parse, so it is replaced by a fresh instance of the same compiled module.
 */
function restartParser(): void {
  const { module, started } = instantiate(compiled!);
  started.catch(() => undefined);
  if (typeof module._wasm_parse_query_raw !== 'function') throw new Error('safemig: the SQL parser could not be restarted');
  pg = module;
}

/** The build copies the WASM beside the bundle; run from source, it is the package's own. */
function parserWasmPath(): string {
  const bundled = join(__dirname, 'libpg-query.wasm');
  return existsSync(bundled) ? bundled : join(dirname(createRequire(__filename).resolve('libpg-query')), 'libpg-query.wasm');
}

export class PgSyntaxError {
  constructor(
    readonly message: string,
    /** UTF-8 byte offset into the parsed text. */
    readonly cursor: number,
  ) {}
}

/**
 * A top-level statement of PostgreSQL's parse result. Its tree is decoded from the parser's JSON
 * when first read: most rules look at a few kinds of statements, and the trees of the others
 * (SELECTs, INSERTs, view and function bodies) are the bulk of the JSON.
 */
export class PgStatement {
  private tree: Node | undefined;

  constructor(
    /** The node's kind (`AlterTableStmt`). */
    readonly kind: string,
    /** UTF-8 byte offset of the statement in the parsed text. */
    readonly location: number,
    /** Its length in bytes, or 0 for "to the end of the text". */
    readonly length: number,
    private readonly json: Buffer,
    private readonly from: number,
    private readonly to: number,
  ) {}

  get node(): Node {
    this.tree ??= JSON.parse(this.json.toString('utf8', this.from, this.to)) as Node;
    return this.tree;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function pgParse(sql: string): PgStatement[] | PgSyntaxError {
  const parser = pg;
  if (!parser) throw new Error('safemig: the SQL parser is not loaded yet (call initParser first)');
  if (sql.trim() === '') return [];
  // UTF-8 takes at most three bytes per UTF-16 unit; one more for the terminating NUL.
  const capacity = sql.length * 3 + 1;
  const query = parser._malloc(capacity);
  const { written } = encoder.encodeInto(sql, parser.HEAPU8.subarray(query, query + capacity - 1));
  parser.HEAPU8[query + written] = 0;
  let result: number;
  try {
    result = parser._wasm_parse_query_raw(query);
  } catch (error) {
    restartParser();
    // PostgreSQL itself refuses such a statement (with its default max_stack_depth, at a smaller
    // depth): its error, placed at the end of the text, which tells no more than that.
    if (error instanceof RangeError) return new PgSyntaxError('stack depth limit exceeded', written);
    throw error;
  }
  try {
    if (!result) throw new Error('safemig: the SQL parser ran out of memory');
    const tree = parser.getValue(result, 'i32');
    const error = parser.getValue(result + 8, 'i32');
    if (error) {
      // PgQueryError {message, funcname, filename, lineno, cursorpos}: cursorpos counts characters from 1.
      const message = readString(parser, parser.getValue(error, 'i32')) || 'syntax error';
      const cursor = parser.getValue(error + 16, 'i32');
      return new PgSyntaxError(message, characterToByteOffset(sql, cursor > 0 ? cursor - 1 : 0));
    }
    // A copy outside the JavaScript heap, sliced per statement when a tree is read.
    const heap = parser.HEAPU8;
    return statementsOf(Buffer.from(heap.subarray(tree, heap.indexOf(0, tree))));
  } finally {
    if (result) parser._wasm_free_parse_result(result);
    parser._free(query);
  }
}

/** A NUL-terminated UTF-8 string of the module's memory (read after the call: memory may have grown). */
function readString(parser: PgQueryModule, pointer: number): string {
  if (!pointer) return '';
  const heap = parser.HEAPU8;
  return decoder.decode(heap.subarray(pointer, heap.indexOf(0, pointer)));
}

const ELEMENT = '{"stmt":';
const LOCATION = Buffer.from(',"stmt_location":');
const LENGTH = Buffer.from(',"stmt_len":');

/**
 * Splits the parser's JSON, `{"version":…,"stmts":[{"stmt":{"Kind":{…}},"stmt_location":…,"stmt_len":…},…]}`,
 * into its statements without parsing it. `{"stmt":` starts each element: `stmt` is a field of
 * RawStmt alone, and inside a JSON string its quotes would be escaped.
 */
function statementsOf(json: Buffer): PgStatement[] {
  const statements: PgStatement[] = [];
  let at = json.indexOf(ELEMENT);
  while (at >= 0) {
    const next = json.indexOf(ELEMENT, at + ELEMENT.length);
    // The element ends before `,` and the next element, or before `]}` and the end; its location
    // and length come last, each left out when 0.
    let close = (next >= 0 ? next - 1 : json.length - 2) - 1;
    const length = numberField(json, close, LENGTH);
    if (length) close = length.start;
    const location = numberField(json, close, LOCATION);
    if (location) close = location.start;
    const from = at + ELEMENT.length;
    const kind = json.toString('latin1', from + 2, json.indexOf(34 /* " */, from + 2));
    statements.push(new PgStatement(kind, location?.value ?? 0, length?.value ?? 0, json, from, close));
    at = next;
  }
  return statements;
}

/** The field `,"name":123` that ends at `end`, if it is there: its value and where it starts. */
function numberField(json: Buffer, end: number, name: Buffer): { value: number; start: number } | undefined {
  let digits = end;
  while (digits > 0 && json[digits - 1] >= 48 && json[digits - 1] <= 57) digits--;
  const start = digits - name.length;
  if (digits === end || start < 0) return undefined;
  for (let i = 0; i < name.length; i++) if (json[start + i] !== name[i]) return undefined;
  let value = 0;
  for (let i = digits; i < end; i++) value = value * 10 + json[i] - 48;
  return { value, start };
}

/** The error cursor comes in characters (code points), unlike parse-tree locations (UTF-8 bytes). */
function characterToByteOffset(sql: string, characters: number): number {
  let bytes = 0;
  let seen = 0;
  for (const ch of sql) {
    if (seen++ >= characters) break;
    const cp = ch.codePointAt(0) ?? 0;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}
