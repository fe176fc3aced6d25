/**
 * Table-driven rule tests in the ESLint style: SQL that must not report, SQL that must report at
 * exact ranges, and "apply the fix, re-lint, the finding is gone".
 *
 * Strict, as ESLint's tester: an invalid case names each finding's messageId (one the rule
 * declares), a case whose finding offers a fix of the rule's own must check that fix's output, and
 * every message the rule declares is met by some invalid case.
 *
 * Every case also runs a second time with a line of multi-byte text and an emoji
 * (`-- café 日本語 😀`) inserted at the top and CRLF line endings: the expected ranges move
 * down by one line and must not move sideways.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Config } from '../../server/src/config/config';
import { RULES } from '../../server/src/rules';
import { applyFix, DEFAULT_PATH, fixOf, lintSql, rangesOf } from '../helpers/lint';

export interface Place {
  /** Path of the linted file (default: a template-style migration). */
  path?: string;
  /** Other files of the tree (rollback twins, neighbours). */
  files?: Record<string, string>;
  config?: Partial<Config>;
  /** Skip the multi-byte + CRLF variant (file-level findings sit on the first line itself). */
  noVariant?: boolean;
  /** Test name; defaults to the SQL. */
  name?: string;
}

export interface ValidCase extends Place {
  sql: string;
}

export interface ExpectedFinding {
  messageId: string;
  /** `[startLine, startChar, endLine, endChar]`, 0-based, UTF-16. */
  range: number[];
  /** The exact problem text, when the case checks it. */
  message?: string;
}

export interface InvalidCase extends Place {
  sql: string;
  /** Each finding of the rule, in file order. */
  errors?: ExpectedFinding[];
  /** @deprecated `[startLine, startChar, endLine, endChar]` of each finding: use `errors`. */
  ranges?: number[][];
  fix?: {
    /** Part of the fix's title. */
    title: string;
    /** The linted file after the fix, or the texts of every file the fix changes or creates. */
    output: string | Record<string, string>;
    /** Which finding's fix (default: the first). */
    finding?: number;
  };
}

/** A variant of a case: a multi-byte line on top and CRLF line endings. */
const VARIANT_LINE = '-- café 日本語 😀';

function variantOf(sql: string): string {
  return `${VARIANT_LINE}\n${sql}`.replace(/\r?\n/g, '\r\n');
}

function label(c: Place & { sql: string }): string {
  return c.name ?? JSON.stringify(c.sql.length > 90 ? `${c.sql.slice(0, 90)}…` : c.sql);
}

export function ruleTests(ruleId: string, cases: { valid: (string | ValidCase)[]; invalid: InvalidCase[] }): void {
  const rule = RULES.find((r) => r.id === ruleId);
  describe(ruleId, () => {
    for (const raw of cases.valid) {
      const c: ValidCase = typeof raw === 'string' ? { sql: raw } : raw;
      test(`valid: ${label(c)}`, () => {
        assert.deepEqual(rangesOf(lintSql(c.sql, c).findings, ruleId), []);
        if (!c.noVariant) assert.deepEqual(rangesOf(lintSql(variantOf(c.sql), c).findings, ruleId), [], 'multi-byte + CRLF variant');
      });
    }
    for (const c of cases.invalid) {
      test(`invalid: ${label(c)}`, () => {
        const ranges = c.errors?.map((e) => e.range) ?? c.ranges ?? [];
        assert.ok(ranges.length > 0, 'an invalid case needs at least one finding');
        const result = lintSql(c.sql, c);
        const found = result.findings.filter((f) => f.rule === ruleId);
        assert.deepEqual(rangesOf(found, ruleId), ranges);
        if (c.errors) {
          for (const e of c.errors) assert.ok(rule?.messages?.[e.messageId] !== undefined, `${ruleId} declares no message "${e.messageId}"`);
          assert.deepEqual(found.map((f) => f.messageId), c.errors.map((e) => e.messageId), 'message IDs');
          c.errors.forEach((e, i) => e.message !== undefined && assert.equal(found[i].message, e.message));
        }
        if (!c.noVariant) {
          const shifted = ranges.map(([sl, sc, el, ec]) => [sl + 1, sc, el + 1, ec]);
          assert.deepEqual(rangesOf(lintSql(variantOf(c.sql), c).findings, ruleId), shifted, 'multi-byte + CRLF variant');
        }
        if (c.fix) checkFix(ruleId, c, result);
        else if (c.errors) {
          const offered = found.flatMap((f) => f.fixes).filter((f) => !f.title.startsWith('Ignore '));
          assert.deepEqual(offered.map((f) => f.title), [], 'a finding offers a fix: the case must check its output (`fix`)');
        }
      });
    }
    if (rule?.messages && cases.invalid.every((c) => c.errors)) {
      test('every message of the rule is met by an invalid case', () => {
        const met = new Set(cases.invalid.flatMap((c) => c.errors!.map((e) => e.messageId)));
        assert.deepEqual(Object.keys(rule.messages!).filter((id) => !met.has(id)), []);
      });
    }
  });
}

function checkFix(rule: string, c: InvalidCase, result: ReturnType<typeof lintSql>): void {
  const path = c.path ?? DEFAULT_PATH;
  const findings = result.findings.filter((f) => f.rule === rule);
  const fix = fixOf(findings[c.fix!.finding ?? 0], c.fix!.title);
  const before = { ...c.files, [path]: c.sql };
  const after = applyFix(fix, before);
  const expected = typeof c.fix!.output === 'string' ? { [path]: c.fix!.output } : c.fix!.output;
  for (const [file, text] of Object.entries(expected)) assert.equal(after[file], text, `text of ${file} after the fix`);
  for (const file of Object.keys(after)) {
    if (after[file] !== before[file]) assert.ok(file in expected, `the fix also changed ${file}`);
  }
  const { [path]: fixed, ...others } = after;
  const relinted = lintSql(fixed, { ...c, files: others }).findings;
  assert.equal(rangesOf(relinted, rule).length, (c.errors ?? c.ranges ?? []).length - 1, 'the fixed finding is gone, and only it');
  assert.deepEqual(rangesOf(relinted, 'syntax-error'), rangesOf(result.findings, 'syntax-error'), 'the fix keeps the SQL valid');
}
