/** node-pg-migrate: `migrations/<ms timestamp>_<name>.{js,ts}` exporting `up(pgm)` / `down(pgm)` (`down = false`: irreversible); in a transaction unless `pgm.noTransaction()`. */
import { CURSOR } from '../../authoring/template';
import { codeConvention } from './code';
import { naming } from './naming';

export const nodePgMigrate = codeConvention({
  name: 'node-pg-migrate',
  framework: 'node-pg-migrate',
  historyTable: 'pgmigrations',
  expectsRollback: true,
  choice: { id: 'node-pg-migrate', label: 'node-pg-migrate (TypeScript)', example: '<ms timestamp>_description.ts', naming: { ...naming({ kind: 'unixMillis' }), description: { separator: '-', wordCase: 'lower' } }, rank: 210 },
  template: (input, ts) =>
    ts
      ? `import type { MigrationBuilder } from 'node-pg-migrate';

export async function up(pgm: MigrationBuilder): Promise<void> {
  pgm.sql(\`
    ${CURSOR}
  \`);
}

export async function down(pgm: MigrationBuilder): Promise<void> {
  // Undo what up does.
}
`
      : `/** @param {import('node-pg-migrate').MigrationBuilder} pgm */
exports.up = (pgm) => {
  pgm.sql(\`
    ${CURSOR}
  \`);
};

/** @param {import('node-pg-migrate').MigrationBuilder} pgm */
exports.down = (pgm) => {
  // Undo what up does.
};
`,
});
