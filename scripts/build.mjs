// Bundles the extension client, the language server and the CLI into dist/ with esbuild.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

mkdirSync('dist', { recursive: true });
// libpg-query loads its WASM from the bundle's own folder.
copyFileSync(join(dirname(require.resolve('libpg-query')), 'libpg-query.wasm'), 'dist/libpg-query.wasm');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // pg's optional native binding and the editor's own API are never bundled. PGlite (ESM) finds
  // its WASM and data files next to its own module: loaded with import() from node_modules.
  external: ['vscode', 'pg-native', '@electric-sql/pglite'],
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The shadow schema's worker thread (PGlite off the CLI's and the server's thread).
  { entryPoints: ['server/src/shadow/worker.ts'], outfile: 'dist/shadow-worker.js' },
];

if (watch) {
  for (const entry of entries) (await esbuild.context({ ...common, ...entry })).watch();
} else {
  await Promise.all(entries.map((entry) => esbuild.build({ ...common, ...entry })));
}
// The CLI is the package's bin: npm and npx run it directly.
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
