import type { Config } from '../../server/src/config/config';
import { ruleTests } from './rule-tester';

const config: Partial<Config> = { protectedTables: ['systems', 'documents', 'public.document_chunks', 'shared.*', 'audit_?'] };
const statement = (sql: string) => ({ sql, config, errors: [{ messageId: 'table', range: [0, 0, 0, sql.replace(/;$/, '').length] }] });

ruleTests('protected-table', {
  valid: [
    { sql: 'ALTER TABLE maintenance_tasks_queue ADD COLUMN IF NOT EXISTS retries int;', config },
    // Reading a protected table, or referencing it, changes nothing in it.
    { sql: 'SELECT doc_id FROM documents;\nCREATE TABLE IF NOT EXISTS agent_notes (doc_id int REFERENCES documents (doc_id));', config },
    // Another schema's table of that name, a quoted name of another case, a longer name.
    { sql: 'ALTER TABLE other.documents ADD COLUMN IF NOT EXISTS x int;\nALTER TABLE "Documents" ADD COLUMN IF NOT EXISTS x int;\nDROP TABLE IF EXISTS documents_old;', config },
    { sql: 'UPDATE audit_log SET seen = true WHERE id = 1;', config },
    { sql: "-- DROP TABLE documents;\nSELECT 'TRUNCATE systems', $$ DELETE FROM documents $$;", config },
    // No protectedTables configured.
    'DROP TABLE IF EXISTS documents;',
  ],
  invalid: [
    statement('ALTER TABLE documents ADD COLUMN IF NOT EXISTS x int;'),
    statement('ALTER TABLE public.documents DROP COLUMN IF EXISTS x;'),
    statement('ALTER TABLE ONLY "documents" ALTER COLUMN x SET NOT NULL;'),
    statement('ALTER TABLE SYSTEMS RENAME TO x;'),
    statement('ALTER TABLE systems RENAME COLUMN a TO b;'),
    statement('DROP TABLE IF EXISTS x, document_chunks;'),
    statement('TRUNCATE public.systems;'),
    statement('CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON documents (title);'),
    statement('CREATE OR REPLACE TRIGGER t AFTER INSERT ON documents FOR EACH ROW EXECUTE FUNCTION f();'),
    statement('DROP TRIGGER IF EXISTS t ON documents;'),
    statement("INSERT INTO documents (title) VALUES ('x');"),
    statement('UPDATE document_chunks SET text = NULL WHERE chunk_id = 1;'),
    statement('DELETE FROM systems WHERE asset_uid = 1;'),
    statement('WITH moved AS (DELETE FROM documents WHERE id = 1 RETURNING *) INSERT INTO archive SELECT * FROM moved;'),
    // SELECTs are read only when their text may write: a data-modifying WITH query, or INTO.
    statement('WITH moved AS (UPDATE systems SET x = 1 WHERE id = 2 RETURNING *) SELECT count(*) FROM moved;'),
    statement('SELECT * INTO documents FROM staging;'),
    statement("COMMENT ON TABLE documents IS 'shared';"),
    statement("COMMENT ON COLUMN public.documents.title IS 'shared';"),
    statement('GRANT SELECT ON documents TO agent;'),
    statement('REVOKE ALL ON TABLE systems FROM agent;'),
    statement('CREATE TABLE IF NOT EXISTS documents (id int);'),
    statement('CREATE TABLE IF NOT EXISTS documents_2025 PARTITION OF documents FOR VALUES FROM (1) TO (2);'),
    // Globs: `shared.*` any table of schema shared, `audit_?` one character.
    {
      sql: 'ALTER TABLE shared.anything ADD COLUMN IF NOT EXISTS x int;',
      config,
      errors: [{ messageId: 'table', range: [0, 0, 0, 58], message: 'This statement alters protected table shared.anything (protectedTables: "shared.*").' }],
    },
    statement('DELETE FROM audit_1 WHERE id = 1;'),
    // Either part: a rollback that changes a shared table is a change too.
    {
      sql: '-- UP Migration\nSELECT 1;\n\n-- DOWN Migration (Rollback)\n-- ALTER TABLE documents DROP COLUMN IF EXISTS x;\n',
      config,
      errors: [{ messageId: 'table', range: [4, 3, 4, 48] }],
    },
    {
      sql: "SELECT 'é 😀'; TRUNCATE documents;",
      config,
      errors: [
        {
          messageId: 'table',
          range: [0, 15, 0, 33],
          message: 'This statement truncates protected table documents.',
          help: 'Protected tables belong to another team: their owners must make this change. Ask them for it instead of changing it here.',
        },
      ],
    },
    {
      sql: 'TRUNCATE documents, systems;',
      config,
      errors: [
        {
          messageId: 'tables',
          range: [0, 0, 0, 27],
          message: 'This statement truncates protected tables documents, systems.',
          help: 'Protected tables belong to another team: their owners must make this change. Ask them for it instead of changing them here.',
        },
      ],
    },
  ],
});
