/** knex: `migrations/<YYYYMMDDHHMMSS>_<name>.{js,ts}` exporting `up(knex)` / `down(knex)`; each in a transaction unless `config = { transaction: false }`. */
import { CURSOR } from '../../authoring/template';
import { codeConvention } from './code';
import { naming, SECOND } from './naming';

export const knex = codeConvention({
  name: 'knex',
  framework: 'knex',
  historyTable: 'knex_migrations',
  // Its migrator sorts the files by name and records each file's name.
  runsByName: true,
  expectsRollback: true,
  choice: { id: 'knex', label: 'knex (TypeScript)', example: 'YYYYMMDDHHMMSS_description.ts', naming: naming(SECOND), rank: 200 },
  template: (input, ts) =>
    ts
      ? `import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(\`
    ${CURSOR}
  \`);
}

export async function down(knex: Knex): Promise<void> {
  // Undo what up does.
}
`
      : `/** @param {import('knex').Knex} knex */
exports.up = async function (knex) {
  await knex.raw(\`
    ${CURSOR}
  \`);
};

/** @param {import('knex').Knex} knex */
exports.down = async function (knex) {
  // Undo what up does.
};
`,
});
