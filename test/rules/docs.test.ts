/**
 * Keeps the rule registry, the rule docs, the rule tests and the rule catalog in sync: every
 * registered rule has a doc page with the required sections, every rule has a test file, each
 * doc's "Incorrect" example reports its rule and its "Correct" example does not, and the
 * default severities match /work/shared/RULES.md.
 *
 * A doc example is linted as a template migration (`-- UP Migration` is added when it has no
 * section markers of its own). Examples about files or configuration say so in comment lines
 * that read naturally in the docs:
 *   `-- file: db/migrations/003_add_index.sql` starts a file (the first file is the one linted;
 *   the others sit beside it), and `-- .safemig.json: {"protectedTables": ["documents"]}` sets
 *   configuration.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import type { Config } from '../../server/src/config/config';
import { UNKNOWN_SUPPRESSION_RULE, UNUSED_SUPPRESSION } from '../../server/src/lint/engine-findings';
import { ENGINE_RULES, RULES } from '../../server/src/rules';
import type { Rule } from '../../server/src/rules/rule';
import { lintSql, rangesOf } from '../helpers/lint';

const ROOT = resolve(__dirname, '../..');
const DOCS = join(ROOT, 'docs/rules');
const TESTS = join(ROOT, 'test/rules');
const SHADOW_TESTS = join(ROOT, 'test/shadow');
const CATALOG = resolve(ROOT, '../shared/RULES.md');

const SECTIONS = ['## Problem', '## Why it is dangerous', '## Safe alternative', '## Incorrect', '## Correct', '## Options'];
/** Engine findings whose examples can be linted (the others are about files, not SQL). */
const LINTABLE_ENGINE_RULES = new Set([UNUSED_SUPPRESSION, UNKNOWN_SUPPRESSION_RULE]);

interface Doc {
  title: string;
  summary: string;
  headings: string[];
  sections: Map<string, string>;
}

function readDoc(id: string): Doc {
  const text = readFileSync(join(DOCS, `${id}.md`), 'utf8').replace(/\r\n/g, '\n');
  const lines = text.split('\n');
  const headings = lines.filter((l) => /^#{1,6} /.test(l));
  const sections = new Map<string, string>();
  let current: string | undefined;
  let fenced = false;
  for (const line of lines) {
    if (line.startsWith('```')) fenced = !fenced;
    if (!fenced && line.startsWith('## ')) {
      current = line;
      sections.set(line, '');
    } else if (current) {
      sections.set(current, `${sections.get(current)}${line}\n`);
    }
  }
  const summary = lines.slice(1).find((l) => l.trim() !== '') ?? '';
  return { title: lines[0], summary, headings, sections };
}

/** The single ```sql block of a section. */
function sqlBlock(doc: Doc, section: string): string {
  const blocks = [...(doc.sections.get(section) ?? '').matchAll(/^```sql\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  assert.equal(blocks.length, 1, `${section} has exactly one \`\`\`sql block`);
  return blocks[0];
}

/** A doc example as a template migration: as written when it has its own markers, else as the UP part. */
function asMigration(sql: string): string {
  const hasMarkers = /^--\s*(?:up|down)\s+migration|^--\s*\+goose\s|^--\s*migrate:/im.test(sql);
  return hasMarkers ? sql : `-- UP Migration\n${sql}`;
}

/** Lints a doc example, honouring its `-- file:` and `-- .safemig.json:` lines. */
function lintExample(sql: string): ReturnType<typeof lintSql> {
  let config: Partial<Config> = {};
  const files: [string, string][] = [];
  let current: [string, string] | undefined;
  const loose: string[] = [];
  for (const line of sql.split('\n')) {
    const file = /^--\s*file:\s*(\S+)\s*$/.exec(line);
    const json = /^--\s*\.safemig\.json:\s*(\{.*\})\s*$/.exec(line);
    if (json) config = { ...config, ...(JSON.parse(json[1]) as Partial<Config>) };
    else if (file) files.push((current = [`/project/${file[1]}`, '']));
    else if (current) current[1] += `${line}\n`;
    else loose.push(line);
  }
  if (files.length === 0) return lintSql(asMigration(loose.join('\n')), { config });
  const [[path, text], ...others] = files;
  return lintSql(text, { path, files: Object.fromEntries(others), config });
}

const ALL = [...RULES, ...ENGINE_RULES];

describe('every registered rule has a doc page with the required sections', () => {
  for (const rule of ALL) {
    test(rule.id, () => {
      assert.ok(existsSync(join(DOCS, `${rule.id}.md`)), `docs/rules/${rule.id}.md exists`);
      const doc = readDoc(rule.id);
      assert.equal(doc.title, `# ${rule.id}`);
      assert.ok(!doc.summary.startsWith('#') && doc.summary.length > 20, 'a one-line summary follows the title');
      assert.deepEqual(doc.headings.filter((h) => h.startsWith('## ')), SECTIONS, 'sections, in order');
      for (const section of SECTIONS) assert.ok((doc.sections.get(section) ?? '').trim().length > 0, `${section} is not empty`);
      sqlBlock(doc, '## Incorrect');
      sqlBlock(doc, '## Correct');
      assert.match(doc.sections.get('## Options') ?? '', new RegExp(`"${rule.id}"`), 'Options shows the severity setting');
    });
  }
});

test('every doc page is of a registered rule', () => {
  const ids = new Set(ALL.map((r) => r.id));
  const pages = readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
  assert.deepEqual(pages.filter((p) => !ids.has(p)), []);
});

test('every rule has a test file', () => {
  // The rules read from the shadow schema are tested with it, under test/shadow (as are their doc examples).
  const missing = RULES.filter((r) => !existsSync(join(r.shadow ? SHADOW_TESTS : TESTS, `${r.id}.test.ts`))).map((r) => r.id);
  assert.deepEqual(missing, []);
});

describe("each doc's Incorrect example reports its rule and its Correct example does not", () => {
  for (const rule of ALL.filter((r) => (RULES.includes(r as never) && !(r as Rule).shadow) || LINTABLE_ENGINE_RULES.has(r.id))) {
    test(rule.id, () => {
      const doc = readDoc(rule.id);
      const incorrect = lintExample(sqlBlock(doc, '## Incorrect')).findings;
      assert.ok(rangesOf(incorrect, rule.id).length > 0, `Incorrect reports ${rule.id}`);
      const correct = lintExample(sqlBlock(doc, '## Correct')).findings;
      assert.deepEqual(rangesOf(correct, rule.id), [], `Correct does not report ${rule.id}`);
      assert.deepEqual(rangesOf(correct, 'syntax-error'), [], 'Correct is valid SQL');
      // A suppression in a Correct example must be doing its job.
      assert.deepEqual(rangesOf(correct, UNUSED_SUPPRESSION), [], 'no unused suppression in Correct');
    });
  }
});

test('default severities match the rule catalog (RULES.md)', (t) => {
  if (!existsSync(CATALOG)) return t.skip(`${CATALOG} not found`);
  const catalog = new Map<string, string>();
  // A default that depends on the PostgreSQL version reads `PG < 12: error; else warning`: the rule's default is the `else`.
  for (const m of readFileSync(CATALOG, 'utf8').matchAll(/^\|\s*`([a-z-]+)`\s*\|\s*(?:PG < \d+: \w+; else )?(error|warning|info)\s*\|/gm)) catalog.set(m[1], m[2]);
  assert.ok(catalog.size >= 20, 'the catalog table was read');
  const mismatched = ALL.filter((r) => catalog.has(r.id) && catalog.get(r.id) !== r.defaultSeverity).map((r) => `${r.id}: ${r.defaultSeverity} ≠ ${catalog.get(r.id)}`);
  assert.deepEqual(mismatched, []);
  // Every RULES entry is in the catalog: IDs are a contract.
  assert.deepEqual(RULES.filter((r) => !catalog.has(r.id)).map((r) => r.id), []);
});
