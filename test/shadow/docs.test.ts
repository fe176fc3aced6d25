/**
 * The doc pages of the rules read from the shadow schema: each Incorrect example reports its rule
 * under `check --shadow` and each Correct example does not (test/rules/docs.test.ts checks the
 * pages' sections; it lints without a shadow). Examples are written as there: `-- file: path`
 * starts a file (the first is the one checked), `-- .safemig.json: {…}` is the configuration.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RULES } from '../../server/src/rules';
import { checkJson, project } from './helpers';

const DOCS = join(__dirname, '../../docs/rules');

function example(id: string, section: string): { files: Record<string, string>; checked: string } {
  const text = readFileSync(join(DOCS, `${id}.md`), 'utf8');
  const block = new RegExp(`^## ${section}\\n[\\s\\S]*?^\`\`\`sql\\n([\\s\\S]*?)^\`\`\`$`, 'm').exec(text)?.[1];
  assert.ok(block, `${id}: ## ${section} has a sql block`);
  const files: Record<string, string> = {};
  let current: string | undefined;
  for (const line of block.split('\n')) {
    const file = /^--\s*file:\s*(\S+)\s*$/.exec(line);
    const json = /^--\s*\.safemig\.json:\s*(\{.*\})\s*$/.exec(line);
    if (json) files['.safemig.json'] = json[1];
    else if (file) files[(current = file[1])] = '';
    else if (current) files[current] += `${line}\n`;
  }
  return { files, checked: Object.keys(files).find((f) => f !== '.safemig.json')! };
}

describe("each shadow rule's Incorrect example reports it under check --shadow, its Correct example does not", () => {
  for (const rule of RULES.filter((r) => r.shadow)) {
    test(rule.id, () => {
      const incorrect = example(rule.id, 'Incorrect');
      const bad = checkJson(['--shadow', incorrect.checked], project(incorrect.files));
      assert.ok((bad.files.get(incorrect.checked) ?? []).some((d) => d.rule === rule.id), `Incorrect reports ${rule.id}`);
      const correct = example(rule.id, 'Correct');
      const good = checkJson(['--shadow', correct.checked], project(correct.files));
      const diagnostics = good.files.get(correct.checked) ?? [];
      assert.deepEqual(diagnostics.filter((d) => ['schema-error', 'round-trip-mismatch', 'shadow-incomplete', 'syntax-error'].includes(d.rule)), []);
    });
  }
});
