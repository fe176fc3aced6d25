/**
 * Migration scripts (seed 003): `scripts/migrations/NNN-name.{ts,js}`, each run by itself
 * (`bun run`, `node`, `tsx`). The whole script is UP, roll-forward; its own `BEGIN` / `COMMIT`
 * queries are its transaction; no history table (the script checks itself).
 */
import { CURSOR } from '../../authoring/template';
import { codeConvention } from './code';
import { naming, SEQUENTIAL_3 } from './naming';

/** The database client the folder's latest script uses, so that a new one reads like its neighbours. */
function clientOf(previous: string | undefined): 'pg' | 'bun' | 'postgres' {
  if (previous === undefined) return 'pg';
  if (/from\s+['"]bun['"]/.test(previous)) return 'bun';
  if (/from\s+['"]postgres['"]/.test(previous)) return 'postgres';
  return 'pg';
}

const CLIENTS = {
  pg: (description: string) => `#!/usr/bin/env bun
// ${description}
import { Pool } from 'pg'

const pool = new Pool({ connectionString: process.env.DATABASE_URL })

async function migrate() {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')

    await client.query(\`
      ${CURSOR}
    \`)

    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK')
    throw error
  } finally {
    client.release()
    await pool.end()
  }
}

migrate()
`,
  bun: (description: string) => `#!/usr/bin/env bun
// ${description}
import { sql } from 'bun'

await sql.begin(async (tx) => {
  await tx\`
    ${CURSOR}
  \`
})
`,
  postgres: (description: string) => `#!/usr/bin/env bun
// ${description}
import postgres from 'postgres'

const sql = postgres(process.env.DATABASE_URL)

try {
  await sql.begin(async (tx) => {
    await tx\`
      ${CURSOR}
    \`
  })
} finally {
  await sql.end()
}
`,
};

export const migrationScripts = codeConvention({
  name: 'migration-scripts',
  framework: 'script',
  expectsRollback: false,
  choice: { id: 'migration-scripts', label: 'Migration scripts (scripts/migrations/NNN-name.ts)', example: 'NNN-description.ts', naming: { ...naming(SEQUENTIAL_3, '-'), description: { separator: '-', wordCase: 'lower' } }, rank: 240 },
  impliedBy: (dir) => /[\\/]scripts[\\/]migrations$/i.test(dir),
  template: (input, _ts, previous) => CLIENTS[clientOf(previous)](input.description.replace(/\s+/g, ' ').trim()),
});
