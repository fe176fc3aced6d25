// TypeScript migrations in the editor: a squiggle inside the string of a knex migration, none in
// application code.
import * as assert from 'assert';
import { fixtures } from './fixtures';
import { describeDiagnostics, fixtureUri, openFixture, safemigDiagnostics, sleep, waitForDiagnostic } from './helpers';

suite('typescript migrations', () => {
  test('a knex migration opened as TypeScript gets its diagnostic inside the template literal', async () => {
    const { path, rule, line, character } = fixtures.knexIndex;
    const doc = await openFixture(path);
    assert.strictEqual(doc.languageId, 'typescript');
    const d = await waitForDiagnostic(doc.uri, rule);
    assert.strictEqual(d.source, 'safemig');
    assert.strictEqual(d.range.start.line, line, describeDiagnostics(doc.uri));
    assert.strictEqual(d.range.start.character, character, describeDiagnostics(doc.uri));
    assert.strictEqual(doc.getText(d.range).slice(0, 'CREATE INDEX'.length), 'CREATE INDEX');
  });

  test('application TypeScript with SQL in it gets no safemig diagnostic', async () => {
    const doc = await openFixture(fixtures.appCode.path);
    assert.strictEqual(doc.languageId, 'typescript');
    // The knex migration above was linted by now: give this one the same time, then look.
    await waitForDiagnostic(fixtureUri(fixtures.knexIndex.path), fixtures.knexIndex.rule);
    await sleep(2000);
    assert.deepStrictEqual(safemigDiagnostics(doc.uri), [], describeDiagnostics(doc.uri));
  });
});
