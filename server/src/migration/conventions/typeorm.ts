/** TypeORM: `<ms timestamp>-<Name>.ts`, a class with `up(queryRunner)` / `down(queryRunner)`; all pending migrations in one transaction unless `transaction = false`. */
import { descriptionWords } from '../../authoring/description';
import { CURSOR } from '../../authoring/template';
import { codeConvention, codeMigrationName } from './code';
import { naming } from './naming';

/** `add post status` → `AddPostStatus`. */
const pascal = (description: string): string => descriptionWords(description).map((w) => w[0].toUpperCase() + w.slice(1)).join('') || 'Migration';

const versionOf = (stem: string): string => codeMigrationName(stem)?.version ?? '';

export const typeorm = codeConvention({
  name: 'typeorm',
  framework: 'typeorm',
  historyTable: 'migrations',
  expectsRollback: true,
  choice: { id: 'typeorm', label: 'TypeORM', example: '<ms timestamp>-Description.ts', naming: { ...naming({ kind: 'unixMillis' }, '-'), description: { separator: '', wordCase: 'pascal' } }, rank: 230 },
  // TypeORM names the file `<timestamp>-<Name>` and the class `<Name><timestamp>`.
  fileName: (input, ext) => `${versionOf(input.stem)}-${pascal(input.description)}.${ext}`,
  template: (input) => `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${pascal(input.description)}${versionOf(input.stem)} implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`
      ${CURSOR}
    \`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Undo what up does.
  }
}
`,
});
