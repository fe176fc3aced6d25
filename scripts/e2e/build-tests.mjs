// Compiles the real-editor suite test/e2e/suite/{index,*.e2e}.ts with esbuild into out/e2e/suite/
// (one CommonJS bundle per file; `vscode` and `mocha` stay external: the extension host provides
// `vscode`, and `mocha` resolves from the repository's node_modules at run time).
// Usage: node scripts/e2e/build-tests.mjs [--watch]
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const srcDir = join(root, 'test', 'e2e', 'suite');
const outDir = join(root, 'out', 'e2e', 'suite');
const watch = process.argv.includes('--watch');

const entryPoints = readdirSync(srcDir)
  .filter((name) => name === 'index.ts' || name.endsWith('.e2e.ts'))
  .sort()
  .map((name) => join(srcDir, name));

rmSync(join(root, 'out', 'e2e'), { recursive: true, force: true });

const options = {
  absWorkingDir: root,
  entryPoints,
  outdir: outDir,
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: 'inline',
  sourcesContent: true,
  logLevel: 'warning',
  external: ['vscode', 'mocha'],
};

const started = Date.now();
if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  console.log(`[e2e build] watching ${relative(root, srcDir)} -> ${relative(root, outDir)}`);
} else {
  await esbuild.build(options);
  console.log(`[e2e build] ${entryPoints.length} files -> ${relative(root, outDir)} in ${Date.now() - started} ms`);
}
