/** kysely: `migrations/<sortable name>.ts` exporting `up(db)` / `down(db)`; each in a transaction on PostgreSQL. */
import { CURSOR } from '../../authoring/template';
import { codeConvention } from './code';
import { naming, SECOND } from './naming';

export const kysely = codeConvention({
  name: 'kysely',
  framework: 'kysely',
  historyTable: 'kysely_migration',
  // Its migrator sorts the files by name and records each file's name.
  runsByName: true,
  expectsRollback: true,
  choice: { id: 'kysely', label: 'kysely (TypeScript)', example: 'YYYYMMDDHHMMSS_description.ts', naming: naming(SECOND), rank: 220 },
  template: (input, ts) =>
    `import { ${ts ? 'Kysely, ' : ''}sql } from 'kysely';

export async function up(db${ts ? ': Kysely<any>): Promise<void>' : ')'} {
  await sql\`
    ${CURSOR}
  \`.execute(db);
}

export async function down(db${ts ? ': Kysely<any>): Promise<void>' : ')'} {
  // Undo what up does.
}
`,
});
