// Packs the CLI as an npm package: `safemig-<version>.tgz`, whose `bin` runs with only Node 20.
// The root package.json stays the VS Code extension's manifest; the CLI's package is generated
// here, in dist-cli/, with only what the CLI runs: its bundle, the parser's WASM, and PGlite
// (the embedded database of `apply` / `verify`; loaded at run time, so shipped inside the
// tarball as a bundled dependency rather than fetched on install). Run `npm run build` first.
//   node scripts/pack-cli.mjs [--out DIR]   → prints the tarball's path
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outFlag = process.argv.indexOf('--out');
const out = outFlag > 0 ? resolve(process.argv[outFlag + 1]) : root;
const stage = join(out, 'dist-cli');

for (const file of ['dist/cli.js', 'dist/shadow-worker.js', 'dist/libpg-query.wasm']) {
  if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pglite = '@electric-sql/pglite';
const pgliteVersion = JSON.parse(readFileSync(join(root, 'node_modules', pglite, 'package.json'), 'utf8')).version;

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
cpSync(join(root, 'dist/cli.js'), join(stage, 'cli.js'));
cpSync(join(root, 'dist/shadow-worker.js'), join(stage, 'shadow-worker.js'));
cpSync(join(root, 'dist/libpg-query.wasm'), join(stage, 'libpg-query.wasm'));
cpSync(join(root, 'README.md'), join(stage, 'README.md'));
cpSync(join(root, 'LICENSE'), join(stage, 'LICENSE'));
cpSync(join(root, 'node_modules', pglite), join(stage, 'node_modules', pglite), { recursive: true });

writeFileSync(
  join(stage, 'package.json'),
  JSON.stringify(
    {
      name: 'safemig',
      version: manifest.version,
      description: 'Safe PostgreSQL migrations: lint, apply, roll back and verify migrations in CI (the safemig CLI).',
      license: manifest.license,
      repository: manifest.repository,
      keywords: ['postgresql', 'migrations', 'linter', 'ci'],
      bin: { safemig: 'cli.js' },
      engines: { node: '>=20' },
      files: ['cli.js', 'shadow-worker.js', 'libpg-query.wasm', 'README.md', 'LICENSE'],
      dependencies: { [pglite]: pgliteVersion },
      bundleDependencies: [pglite],
    },
    null,
    2,
  ) + '\n',
);

const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: stage, encoding: 'utf8' }).trim().split('\n').pop();
rmSync(stage, { recursive: true, force: true });
console.log(join(out, packed));
