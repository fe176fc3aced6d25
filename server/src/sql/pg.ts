/** PostgreSQL's own parser (libpg-query, WASM), loaded once per process. */
import { loadModule, parseSync, hasSqlDetails, ParseResult } from 'libpg-query';

let loaded: Promise<void> | undefined;
let ready = false;

/** Loads the parser's WASM module; call once at startup before parsing. */
export function initParser(): Promise<void> {
  loaded ??= loadModule().then(() => {
    ready = true;
  });
  return loaded;
}

export class PgSyntaxError {
  constructor(
    readonly message: string,
    /** UTF-8 byte offset into the parsed text. */
    readonly cursor: number,
  ) {}
}

export function pgParse(sql: string): ParseResult | PgSyntaxError {
  if (!ready) throw new Error('safemig: the SQL parser is not loaded yet (call initParser first)');
  if (sql.trim() === '') return { stmts: [] } as ParseResult;
  try {
    return parseSync(sql);
  } catch (error) {
    if (hasSqlDetails(error)) return new PgSyntaxError(error.message, characterToByteOffset(sql, error.sqlDetails?.cursorPosition ?? 0));
    return new PgSyntaxError(error instanceof Error ? error.message : String(error), 0);
  }
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
