/**
 * TS/JS migrations from the command line (dist/cli.js as a process): `check` finds them in their
 * folders and reports in every format, `check --fix` fixes inside the strings, `new` writes each
 * framework's file, and apply / rollback / verify run a static migration on the embedded database
 * (and on PostgreSQL when SAFEMIG_TEST_DATABASE_URL is set) and refuse a dynamic one.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { runCliAsync, SERVER_URL, serverTestTarget, writeTree } from '../database/helpers';
import { FIXTURES } from './helpers';

const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A copy of fixture folders in a fresh project. */
function project(...folders: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'safemig-ts-cli-'));
  roots.push(root);
  for (const folder of folders) cpSync(join(FIXTURES, folder), join(root, folder), { recursive: true });
  return root;
}

describe('safemig check', () => {
  test('the seed-003 layout end to end: scripts found, findings in the strings, roll-forward, application code left alone', () => {
    const root = project('seed003', 'app');
    const run = runCli(['check', '.'], root);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.pop(), '5 files checked: 1 error, 12 warnings, 6 info');
    const files = new Set(lines.map((l) => l.split(':')[0]));
    assert.deepEqual([...files].sort(), [
      'seed003/scripts/migrations/001-add-conversation-tracking.ts',
      'seed003/scripts/migrations/002-optimize-conversation-indexes.ts',
      'seed003/scripts/migrations/003-add-subtask-tracking.ts',
      'seed003/scripts/migrations/004-escapes.js',
    ]);
    assert.ok(lines.includes('seed003/scripts/migrations/001-add-conversation-tracking.ts:27:9 error add-required-column Adding NOT NULL column message_count to api_requests without a DEFAULT fails on a table with rows, and every INSERT of the running code breaks. Add it nullable (or with a DEFAULT), backfill, then set NOT NULL.'), run.stdout);
    assert.ok(!/missing-rollback|syntax-error|unbalanced-transaction|safemig_placeholder/.test(run.stdout), run.stdout);
  });

  test('knex and kysely order by whole file name: two migrations of one day or second are not a duplicate version; node-pg-migrate’s still are', () => {
    const up = (table: string) => `export async function up(db) {\n  await db.schema.createTable('${table}').ifNotExists().addColumn('id', 'integer').execute();\n}\nexport async function down(db) {\n  await db.schema.dropTable('${table}').ifExists().execute();\n}\n`;
    const knex = (table: string) => `exports.up = (knex) => knex.raw('CREATE TABLE IF NOT EXISTS ${table} (id int)');\nexports.down = (knex) => knex.raw('DROP TABLE IF EXISTS ${table}');\n`;
    const pgm = (table: string) => `exports.up = (pgm) => {\n  pgm.sql('CREATE TABLE IF NOT EXISTS ${table} (id int)');\n};\nexports.down = (pgm) => {\n  pgm.sql('DROP TABLE IF EXISTS ${table}');\n};\n`;
    const root = writeTree({
      'package.json': JSON.stringify({ dependencies: { kysely: '*', knex: '*', 'node-pg-migrate': '*' } }),
      'ky/migrations/2024_01_15_create_users.ts': `import { Kysely } from 'kysely';\n${up('users')}`,
      'ky/migrations/2024_01_15_create_posts.ts': `import { Kysely } from 'kysely';\n${up('posts')}`,
      'kx/migrations/20240115120000_create_users.js': knex('users'),
      'kx/migrations/20240115120000_create_posts.js': knex('posts'),
      'pg/migrations/1700000000000_create-users.js': pgm('users'),
      'pg/migrations/1700000000000_create-posts.js': pgm('posts'),
    });
    roots.push(root);
    const run = runCli(['check', '.', '--format', 'json'], root);
    const files = (JSON.parse(run.stdout) as { files: { path: string; convention: string; diagnostics: { rule: string }[] }[] }).files;
    assert.deepEqual(
      files.map((f) => `${f.path} ${f.convention} ${f.diagnostics.map((d) => d.rule).join(',')}`).sort(),
      [
        'kx/migrations/20240115120000_create_posts.js knex ',
        'kx/migrations/20240115120000_create_users.js knex ',
        'ky/migrations/2024_01_15_create_posts.ts kysely ',
        'ky/migrations/2024_01_15_create_users.ts kysely ',
        'pg/migrations/1700000000000_create-posts.js node-pg-migrate duplicate-migration-version',
        'pg/migrations/1700000000000_create-users.js node-pg-migrate duplicate-migration-version',
      ],
      run.stdout,
    );
  });

  test('every framework’s folder is found; every output format', () => {
    const root = project('knex', 'pgm', 'kysely', 'typeorm', 'drizzle', 'app');
    const text = runCli(['check', '.'], root);
    assert.match(text.stdout, /\n20 files checked: /);
    for (const file of ['knex/migrations/20240120080000_raw_sql.js', 'pgm/migrations/1700000100000_add-columns.ts', 'kysely/migrations/2024_03_10_drop_toy.ts', 'typeorm/src/migrations/1700000500000-RenamePostTitle.ts', 'drizzle/drizzle/0001_add_name.sql']) {
      assert.ok(text.stdout.includes(`${file}:`), `${file} in\n${text.stdout}`);
    }
    assert.ok(!text.stdout.includes('app/'), 'application code is not checked');
    const json = JSON.parse(runCli(['check', 'typeorm', '--format', 'json'], root).stdout);
    const renamed = json.files.find((f: { path: string }) => f.path === 'typeorm/src/migrations/1700000500000-RenamePostTitle.ts');
    assert.equal(renamed.convention, 'typeorm');
    assert.deepEqual(renamed.diagnostics.find((d: { rule: string }) => d.rule === 'add-required-column').range, { start: { line: 7, character: 52 }, end: { line: 7, character: 89 } });
    const sarif = JSON.parse(runCli(['check', 'typeorm', '--format', 'sarif'], root).stdout);
    assert.ok(sarif.runs[0].results.some((r: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.ruleId === 'add-required-column' && r.locations[0].physicalLocation.artifactLocation.uri.endsWith('1700000500000-RenamePostTitle.ts')));
    assert.match(runCli(['check', 'typeorm', '--format', 'github'], root).stdout, /^::error file=typeorm\/src\/migrations\/1700000500000-RenamePostTitle\.ts,line=8,col=53,endLine=8,endColumn=\d+,title=safemig add-required-column::/m);
    assert.match(runCli(['check', 'typeorm', '--format', 'markdown'], root).stdout, /1700000500000-RenamePostTitle\.ts/);
  });

  test('check --fix makes the fixes inside the strings; what is left is checked again', () => {
    const root = project('knex');
    const run = runCli(['check', 'knex/migrations/20240120080000_raw_sql.js', '--fix'], root);
    assert.match(run.stderr, /safemig check --fix: 6 fixes applied in 1 file/);
    const fixed = readFileSync(join(root, 'knex/migrations/20240120080000_raw_sql.js'), 'utf8');
    assert.ok(fixed.includes(`await knex.schema.raw("ALTER TABLE orders ADD COLUMN IF NOT EXISTS note text DEFAULT 'it''s \\"fine\\"'");`), fixed);
    assert.ok(fixed.includes("await knex.raw('DROP INDEX IF EXISTS orders_created_at_idx');"), fixed);
    assert.doesNotMatch(run.stdout, /require-if-(not-)?exists|syntax-error/);
  });
});

describe('safemig new in each framework’s folder', () => {
  test('the next file follows the folder: knex .ts, node-pg-migrate .js, TypeORM class, seed-003 script with its client', () => {
    const root = project('knex', 'pgm', 'typeorm', 'seed003');
    const env = { GIT_AUTHOR_NAME: 'Test', GIT_CONFIG_GLOBAL: '/dev/null' };
    const knex = runCli(['new', 'add orders index', '--dir', 'knex/migrations'], root, env);
    assert.equal(knex.code, 0, knex.stderr);
    const knexFile = knex.stdout.trim();
    assert.match(knexFile, /^knex\/migrations\/\d{14}_add_orders_index\.ts$/);
    assert.match(readFileSync(join(root, knexFile), 'utf8'), /^export async function up\(knex: Knex\): Promise<void> \{\n {2}await knex\.raw\(`\n/m);
    // Most of node-pg-migrate's files here are JavaScript: so is the new one.
    const pgm = runCli(['new', 'add orders index', '--dir', 'pgm/migrations'], root, env);
    const pgmFile = pgm.stdout.trim();
    assert.match(pgmFile, /^pgm\/migrations\/\d{13}_add-orders-index\.js$/, pgm.stderr);
    assert.match(readFileSync(join(root, pgmFile), 'utf8'), /^exports\.up = \(pgm\) => \{\n {2}pgm\.sql\(`\n/m);
    const typeorm = runCli(['new', 'add post tags', '--dir', 'typeorm/src/migrations'], root, env);
    assert.match(typeorm.stdout.trim(), /^typeorm\/src\/migrations\/(\d{13})-AddPostTags\.ts$/);
    const version = /(\d{13})-/.exec(typeorm.stdout)![1];
    assert.match(readFileSync(join(root, typeorm.stdout.trim()), 'utf8'), new RegExp(`export class AddPostTags${version} implements MigrationInterface`));
    const script = runCli(['new', 'add train colours', '--dir', 'seed003/scripts/migrations'], root, env);
    assert.equal(script.stdout, 'seed003/scripts/migrations/005-add-train-colours.ts\n', script.stderr);
    // The latest TypeScript script (003) uses postgres.js: so does the new one.
    assert.match(readFileSync(join(root, 'seed003/scripts/migrations/005-add-train-colours.ts'), 'utf8'), /^import postgres from 'postgres'\n\nconst sql = postgres\(process\.env\.DATABASE_URL\)\n/m);
    // Each new file is read as its framework's migration and is clean.
    const check = runCli(['check', knexFile, pgmFile, typeorm.stdout.trim(), 'seed003/scripts/migrations/005-add-train-colours.ts'], root);
    assert.equal(check.stdout, '4 files checked: 0 errors, 0 warnings, 0 info\n', check.stderr);
  });

  test('kysely runs files in name order: YYYY_MM_DD_ names go on as today’s date; a second one today is refused (exit 1), as it would run first', () => {
    const root = project('kysely');
    const env = { GIT_AUTHOR_NAME: 'Test', GIT_CONFIG_GLOBAL: '/dev/null' };
    const first = runCli(['new', 'add toy colours', '--dir', 'kysely/migrations'], root, env);
    assert.equal(first.code, 0, first.stderr);
    const today = new Date().toISOString().slice(0, 10).replace(/-/g, '_');
    assert.equal(first.stdout, `kysely/migrations/${today}_add_toy_colours.ts\n`);
    const second = runCli(['new', 'add toy sizes', '--dir', 'kysely/migrations'], root, env);
    assert.equal(second.code, 1, second.stdout);
    assert.match(second.stderr, new RegExp(`^safemig new: ${today}_\\d{6}_add_toy_sizes would sort before ${today}_add_toy_colours\\.ts, and kysely runs migrations in file name order: it would run first\\.`));
  });
});

const STATIC = `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(\`CREATE TABLE users (id bigint PRIMARY KEY, note text DEFAULT 'it''s "ok"')\`);
  await knex.raw('CREATE INDEX users_note_idx ON users (note)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE users');
}
`;

const DYNAMIC = `import type { Knex } from 'knex';

const table = process.env.TABLE ?? 'users';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(\`ALTER TABLE \${table} ADD COLUMN IF NOT EXISTS age int\`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(\`ALTER TABLE \${table} DROP COLUMN IF EXISTS age\`);
}
`;

const TREE = { 'migrations/20240101000000_users.ts': STATIC, 'migrations/20240102000000_age.ts': DYNAMIC };

describe('apply, rollback, verify of a TS/JS migration on the embedded database', () => {
  test('a static knex migration runs as the database receives its SQL; a dynamic one is refused naming the interpolation', async () => {
    const root = writeTree(TREE);
    roots.push(root);
    const applied = await runCliAsync(['apply', 'migrations/20240101000000_users.ts'], root);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(applied.stdout, /UP part: 2 statements, in one transaction/);
    assert.match(applied.stdout, /\[1\/2\] line 4: CREATE TABLE users \(id bigint PRIMARY KEY, note text DEFAULT 'it''s "ok"'\)\n/);
    assert.match(applied.stdout, /\+ table users \(id bigint NOT NULL, note text DEFAULT 'it''s "ok"'::text/);
    const refused = await runCliAsync(['apply', 'migrations/20240102000000_age.ts'], root);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /20240102000000_age\.ts:6:31: safemig runs a knex migration only when all of its SQL is known before it runs, and here the SQL has a value known only when the migration runs: `\$\{table\}` \(line 6\)\. Run it with the project's own migration command instead; nothing ran/);
    const back = await runCliAsync(['rollback', 'migrations/20240101000000_users.ts'], root);
    assert.equal(back.code, 0, back.stderr + back.stdout);
    assert.match(back.stdout, /\[1\/1\] line 9: DROP TABLE users/);
    assert.match(back.stdout, /- table users/);
    const verify = await runCliAsync(['verify', 'migrations/20240101000000_users.ts'], root);
    assert.equal(verify.code, 0, verify.stderr + verify.stdout);
    assert.match(verify.stdout, /verified: the round trip leaves the schema as it was/);
  });
});

describe('apply of a TS/JS migration on the PostgreSQL server', { skip: SERVER_URL ? false : 'SAFEMIG_TEST_DATABASE_URL is not set' }, () => {
  test('apply and rollback with --db; the dynamic one is refused', async () => {
    const root = writeTree(TREE);
    roots.push(root);
    const t = await serverTestTarget();
    try {
      const applied = await runCliAsync(['apply', 'migrations/20240101000000_users.ts', '--db', t.url!], root);
      assert.equal(applied.code, 0, applied.stderr + applied.stdout);
      assert.match(applied.stdout, /target: PostgreSQL \d+\.\d+ at /);
      assert.match(applied.stdout, /\+ table users/);
      const refused = await runCliAsync(['apply', 'migrations/20240102000000_age.ts', '--db', t.url!], root);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /nothing ran/);
      const back = await runCliAsync(['rollback', 'migrations/20240101000000_users.ts', '--db', t.url!], root);
      assert.equal(back.code, 0, back.stderr + back.stdout);
    } finally {
      await t.close();
    }
  });
});
