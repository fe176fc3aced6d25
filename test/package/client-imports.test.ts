/**
 * The client talks to the engine through one facade: it imports from server/ only
 * server/src/api.ts and server/src/protocol.ts, and api.ts exports nothing the client does not use.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ALLOWED = ['server/src/api', 'server/src/protocol'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  file: string;
  from: string;
  names: string[];
}

/** Every module a file loads: `import … from`, `export … from`, `import '…'`, `import(…)`, `require(…)`. */
export function importsOf(file: string, text: string): Import[] {
  const out: Import[] = [];
  const statement = /\b(?:import|export)\s+(?:type\s+)?([\w*\s{},$]*?)\s*from\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(statement)) {
    const names = (m[1] ?? '').match(/\{([^}]*)\}/)?.[1].split(',').map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]).filter(Boolean) ?? [];
    out.push({ file, from: m[2] ?? m[3] ?? m[4], names });
  }
  return out;
}

const clientImports = tsFiles(join(ROOT, 'client', 'src')).flatMap((file) => importsOf(file, readFileSync(file, 'utf8')));
/** A relative import's target from the repository's root, without its extension. */
const target = (i: Import) => relative(ROOT, resolve(dirname(i.file), i.from)).replace(/\\/g, '/').replace(/\.[cm]?[jt]s$/, '');

test('the import reader sees single-line, multi-line, type, side-effect and dynamic imports', () => {
  const text = "import * as vscode from 'vscode';\nimport {\n  a,\n  type B,\n  c as d,\n} from '../../server/src/api';\nimport type { E } from '../x';\nimport '../y';\nconst z = await import('../z');\nexport { f } from './f';\n";
  assert.deepEqual(importsOf('f.ts', text).map((i) => [i.from, i.names]), [['vscode', []], ['../../server/src/api', ['a', 'B', 'c']], ['../x', ['E']], ['../y', []], ['../z', []], ['./f', ['f']]]);
});

test('the client imports from server/ only the facade (api.ts) and the declarations (protocol.ts)', () => {
  assert.ok(clientImports.length > 10, 'no imports read from client/src');
  const reaching = clientImports
    .filter((i) => i.from.startsWith('.') && !target(i).startsWith('client/') && !ALLOWED.includes(target(i)))
    .map((i) => `${relative(ROOT, i.file)} imports ${i.from}`);
  assert.deepEqual(reaching, [], 'import it through server/src/api.ts (add it there if the client needs it)');
});

test('api.ts exports only what the client uses', () => {
  const exported = importsOf(join(ROOT, 'server', 'src', 'api.ts'), readFileSync(join(ROOT, 'server', 'src', 'api.ts'), 'utf8')).flatMap((i) => i.names);
  assert.ok(exported.length > 10, 'no exports read from api.ts');
  const used = new Set(clientImports.filter((i) => target(i) === 'server/src/api').flatMap((i) => i.names));
  assert.deepEqual(exported.filter((name) => !used.has(name)), [], 'exported by api.ts but used by no client file: drop it');
  assert.deepEqual([...used].filter((name) => !exported.includes(name)), []);
});
