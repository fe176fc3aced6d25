/**
 * The engine's entry point: read a migration, run every enabled rule, apply suppressions and the
 * configured severities, and attach the "ignore" quick fixes. The CLI and the language server
 * both call `lint`.
 */
import type { Config, Severity } from '../config/config';
import { Migration, readMigration, Statement } from '../migration/migration';
import type { FileSystem } from '../migration/model';
import type { Range } from '../sql/positions';
import { computeFacts } from '../analysis/facts';
import { RULES, ruleById } from '../rules';
import type { Fix, MessageData, Report, Rule, RuleContext, RuleMeta } from '../rules/rule';
import type { ShadowFile } from '../shadow/findings';
import { FILE_TOO_LARGE, INTERNAL_ERROR, UNKNOWN_SUPPRESSION_RULE, UNUSED_SUPPRESSION } from './engine-findings';
import { readSuppressions, Suppression, suppressionMatcher } from './suppressions';
import { embeddedFix, embeddedIgnoreFixes, embeddedSuppressions, namesPlaceholder } from './embedded';

export interface Finding {
  rule: string;
  severity: Severity;
  /** The problem. */
  message: string;
  /** What to do instead, when the rule says. */
  help?: string;
  /** Which of the rule's (or engine finding's) messages this is. */
  messageId?: string;
  start: number;
  end: number;
  range: Range;
  fixes: Fix[];
}

export interface LintResult {
  migration: Migration;
  findings: Finding[];
  /** What the shadow schema found for this very text, when it ran (hover shows its observed locks). */
  shadow?: ShadowFile;
}

export interface LintOptions {
  rules?: readonly Rule[];
  /** Offer quick fixes, built when a finding's `fixes` is first read (the editor wants them; the CLI does not). Default true. */
  fixes?: boolean;
  /** What the shadow schema found for this file (`check --shadow`); without it the schema rules do not run. */
  shadow?: ShadowFile;
}

/** Larger files are not analysed: no real migration comes near, and the editor must stay responsive. */
export const MAX_ANALYSED_BYTES = 2 * 1024 * 1024;

export function lint(path: string, text: string, fs: FileSystem, config: Config, options: LintOptions = {}): LintResult {
  if (text.length > MAX_ANALYSED_BYTES) {
    const migration = readMigration(path, text, fs, { convention: config.convention, skipSql: true });
    const data = { size: `${(Buffer.byteLength(text) / 1024 / 1024).toFixed(1)} MB`, limit: MAX_ANALYSED_BYTES / 1024 / 1024 };
    return { migration, findings: [engineFinding(migration, config, FILE_TOO_LARGE, 0, migration.lines.lineEnd(0), 'tooLarge', data)] };
  }
  const migration = readMigration(path, text, fs, { convention: config.convention });
  const findings = lintMigration(migration, config, options, fs);
  return options.shadow ? { migration, findings, shadow: options.shadow } : { migration, findings };
}

interface Raw extends Report {
  rule: Rule;
}

/** No neighbouring files: for linting a migration on its own. */
const NO_FILES: FileSystem = { readFile: () => undefined, readDir: () => undefined, isDirectory: () => false };

export function lintMigration(migration: Migration, config: Config, { rules = RULES, fixes = true, shadow }: LintOptions = {}, fs: FileSystem = NO_FILES): Finding[] {
  // A file the shadow found incomplete has its schema checks skipped: the file's own reading stands.
  const facts = computeFacts(migration, config, shadow && !shadow.incomplete ? shadow.schema : undefined, fs);
  const raw: Raw[] = [];
  // One context for every rule of the file: the rule running is the one that reports.
  let rule: Rule = rules[0];
  const context: RuleContext = { migration, config, facts, fs, shadow, report: (report) => raw.push({ ...report, rule }) };
  for (rule of rules) if (severityOf(rule.id, config) !== 'off' && (!rule.shadow || shadow)) rule.check(context);

  const suppressions = migration.convention.embedded ? embeddedSuppressions(migration) : readSuppressions(migration.text, migration.statements);
  const suppressedBy = suppressionMatcher(suppressions, migration.statements);
  const used = new Set<string>();
  const findings: Finding[] = [];
  for (const report of raw) {
    const hit = suppressedBy(report.rule.id, report);
    if (hit) {
      used.add(hit);
      continue;
    }
    const severity = config.rules[report.rule.id] ?? report.severity ?? severityOf(report.rule.id, config);
    const finding = toFinding(migration, report.rule.id, severity as Severity, report, fixes);
    // In a TS/JS migration, a finding that names an interpolation is about a name unknown until it runs: say nothing.
    if (migration.convention.embedded && namesPlaceholder(finding)) continue;
    findings.push(finding);
  }
  findings.push(...suppressionFindings(migration, config, suppressions, used, shadow !== undefined));
  // Rule IDs are ASCII: plain comparison orders them as localeCompare would, without the collator's cost.
  return findings.sort((a, b) => a.start - b.start || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}

/**
 * A file the engine did not analyse (it could not be read, or safemig failed on it): one finding
 * of that engine finding (engine-findings.ts) at its start, at its severity, or none when it is off.
 */
export function notAnalysed(config: Config, rule: string, messageId: string, data?: MessageData): Finding[] {
  const severity = severityOf(rule, config);
  const at = { line: 0, character: 0 };
  return severity === 'off' ? [] : [{ rule, severity, ...messageOf(metaOf(rule), messageId, data), start: 0, end: 0, range: { start: at, end: at }, fixes: [] }];
}

/** The findings of a file the engine failed on: a bug met on one file must not hide it, nor stop the others. */
export function internalError(config: Config, error: unknown): Finding[] {
  return notAnalysed(config, INTERNAL_ERROR, 'failed', { error: error instanceof Error ? error.message : String(error) });
}

/** A rule's severity: the configured one, else its default. */
export function severityOf(id: string, config: Config): Severity | 'off' {
  return config.rules[id] ?? ruleById(id)?.defaultSeverity ?? 'info';
}

function suppressionFindings(migration: Migration, config: Config, suppressions: Suppression[], used: Set<string>, shadowRan: boolean): Finding[] {
  const out: Finding[] = [];
  for (const s of suppressions) {
    if (s.rules.length === 0) {
      out.push(engineFinding(migration, config, UNKNOWN_SUPPRESSION_RULE, s.start, s.end, 'noRules'));
      continue;
    }
    for (const entry of s.rules) {
      const rule = ruleById(entry.id);
      if (!rule) {
        out.push(engineFinding(migration, config, UNKNOWN_SUPPRESSION_RULE, entry.start, entry.end, 'unknownRule', { rule: entry.id }));
      } else if (!used.has(`${s.start}:${entry.id}`) && severityOf(entry.id, config) !== 'off' && (shadowRan || !rule.shadow)) {
        out.push(engineFinding(migration, config, UNUSED_SUPPRESSION, entry.start, entry.end, s.fileWide ? 'file' : 'nextStatement', { rule: entry.id }));
      }
    }
  }
  return out.filter((f) => f.severity !== ('off' as Severity));
}

function engineFinding(migration: Migration, config: Config, id: string, start: number, end: number, messageId: string, data?: MessageData): Finding {
  const severity = severityOf(id, config) as Severity;
  return { rule: id, severity, ...messageOf(metaOf(id), messageId, data), start, end, range: migration.lines.rangeOf(start, end), fixes: [] };
}

function metaOf(id: string): RuleMeta {
  const meta = ruleById(id);
  if (!meta) throw new Error(`no rule or engine finding ${id}`);
  return meta;
}

function toFinding(migration: Migration, id: string, severity: Severity, report: Raw, withFixes: boolean): Finding {
  const { lines } = migration;
  const start = report.start ?? report.statement?.start ?? 0;
  const end = report.end ?? report.statement?.end ?? lines.lineEnd(0);
  const finding: Finding = { rule: id, severity, ...messageOf(report.rule, report.messageId, report.data), start, end, range: lines.rangeOf(start, end), fixes: [] };
  if (withFixes) {
    // Built on first use: the editor asks only for the findings under the cursor.
    let fixes: Fix[] | undefined;
    Object.defineProperty(finding, 'fixes', {
      enumerable: true,
      get: () => (fixes ??= migration.convention.embedded
        ? [...(report.fixes?.() ?? []).map((f) => embeddedFix(migration, f)).filter((f): f is Fix => f !== undefined), ...embeddedIgnoreFixes(migration, id, report.statement)]
        : [...(report.fixes?.() ?? []), ...ignoreFixes(migration, id, report.statement)]),
    });
  }
  return finding;
}

/** A finding's message and help, from its rule's (or engine finding's) templates. */
function messageOf(rule: RuleMeta, id: string, data: MessageData | undefined): Pick<Finding, 'message' | 'help' | 'messageId'> {
  const template = rule.messages[id];
  if (template === undefined) throw new Error(`rule ${rule.id} reported unknown message ID "${id}"`);
  const help = rule.help?.[id];
  const message = fillTemplate(template, data);
  return help === undefined ? { message, messageId: id } : { message, help: fillTemplate(help, data), messageId: id };
}

/** Fills `{{name}}` placeholders; a placeholder without a value is a bug in the rule. */
export function fillTemplate(template: string, data: MessageData = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value = data[name];
    if (value === undefined) throw new Error(`no value for {{${name}}} in "${template}"`);
    return String(value);
  });
}

/** The problem and what to do instead, as one text: what the CLI prints. */
export function fullMessage(finding: Pick<Finding, 'message' | 'help'>): string {
  return finding.help === undefined ? finding.message : `${finding.message} ${finding.help}`;
}

/** "Ignore for this statement" (a comment line above it) and "ignore for this file". */
function ignoreFixes(migration: Migration, id: string, statement: Statement | undefined): Fix[] {
  const { lines, path, text } = migration;
  const fixes: Fix[] = [];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (statement && !statement.part.commentedOut) {
    const line = lines.positionAt(statement.start).line;
    const lineStart = lines.lineStart(line);
    const indent = /^[ \t]*/.exec(text.slice(lineStart, statement.start))?.[0] ?? '';
    const at = { line, character: 0 };
    fixes.push({ title: `Ignore ${id} for this statement`, edits: [{ path, range: { start: at, end: at }, newText: `${indent}-- safemig-ignore ${id}: <reason>${eol}` }] });
  }
  const existing = text.includes('safemig-ignore-file') ? /^--\s*safemig-ignore-file\s+([^:\r\n]*)/m.exec(text) : null;
  if (existing) {
    const listEnd = existing.index + existing[0].trimEnd().length;
    const at = lines.positionAt(listEnd);
    fixes.push({ title: `Ignore ${id} for this file`, edits: [{ path, range: { start: at, end: at }, newText: `, ${id}` }] });
  } else {
    const at = { line: 0, character: 0 };
    fixes.push({ title: `Ignore ${id} for this file`, edits: [{ path, range: { start: at, end: at }, newText: `-- safemig-ignore-file ${id}: <reason>${eol}` }] });
  }
  return fixes;
}
