/** Reading the TS/JS migration fixtures, and checks shared by the TypeScript extraction tests. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeLiteral, EmbeddedSql } from '../../server/src/typescript/embedded-sql';
import { extractMigration, TsMigration } from '../../server/src/typescript/extract';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'ts-migrations');

/** The TypeScript / JavaScript files of the fixtures (Drizzle's SQL aside). */
export function fixturePaths(dir = FIXTURES): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? fixturePaths(path) : /\.[cm]?[jt]s$/.test(name) ? [path] : [];
  }).sort();
}

export interface Fixture {
  path: string;
  text: string;
  migration: TsMigration;
}

/** A fixture that is a migration (fails when it is not). */
export function fixture(relative: string): Fixture {
  const path = join(FIXTURES, relative);
  const text = readFileSync(path, 'utf8');
  const migration = extractMigration(text, path);
  assert.ok(migration, `${relative} is read as a migration`);
  return { path, text, migration };
}

/** The piece whose SQL contains `needle` (exactly one). */
export function pieceWith(m: TsMigration, needle: string): EmbeddedSql {
  const found = m.sql.filter((p) => p.text.includes(needle));
  assert.equal(found.length, 1, `one piece of SQL contains ${JSON.stringify(needle)} (found ${found.length})`);
  return found[0];
}

/** The file text that SQL `token` (its first occurrence in `piece`) maps to. */
export function sourceOf(text: string, piece: EmbeddedSql, token: string, from = 0): string {
  const at = piece.text.indexOf(token, from);
  assert.ok(at >= 0, `${JSON.stringify(token)} is in the SQL`);
  const range = piece.sourceRange(at, at + token.length);
  return text.slice(range.start, range.end);
}

/**
 * Every SQL unit read from a literal maps to file text that reads back as that unit: the text
 * itself, or an escape / line break that JavaScript decodes to it.
 */
export function assertExactMap(text: string, piece: EmbeddedSql): void {
  for (let i = 0; i < piece.text.length; i++) {
    if (piece.placeholderIn(i, i + 1)) continue;
    const literal = piece.literalHolding(i, i + 1);
    if (!literal) continue;
    const range = piece.sourceRange(i, i + 1);
    let decoded = '';
    decodeLiteral(text, range.start, range.end, literal.quote === '`', (value) => (decoded += value));
    assert.ok(decoded.includes(piece.text[i]), `SQL offset ${i} (${JSON.stringify(piece.text[i])}) maps to ${JSON.stringify(text.slice(range.start, range.end))}`);
  }
}
