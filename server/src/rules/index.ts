/** The rule registry: one line per rule. */
import { ENGINE_FINDINGS } from '../lint/engine-findings';
import { addRequiredColumn } from './add-required-column';
import { addUniqueConstraint } from './add-unique-constraint';
import { attachPartition } from './attach-partition';
import { backfillWithDdl } from './backfill-with-ddl';
import { blockingRewrite } from './blocking-rewrite';
import { changeColumnType } from './change-column-type';
import { concurrentIndexIfNotExists } from './concurrent-index-if-not-exists';
import { concurrentlyInTransaction } from './concurrently-in-transaction';
import { constraintWithoutNotValid } from './constraint-without-not-valid';
import { detachPartition } from './detach-partition';
import { disableTrigger } from './disable-trigger';
import { dropColumn } from './drop-column';
import { dropPrimaryKey } from './drop-primary-key';
import { dropTable } from './drop-table';
import { duplicateMigrationVersion } from './duplicate-migration-version';
import { enumValueInTransaction } from './enum-value-in-transaction';
import { incompleteRollback } from './incomplete-rollback';
import { migrationFileName } from './migration-file-name';
import { missingRollback } from './missing-rollback';
import { multiTableLock } from './multi-table-lock';
import { nonConcurrentIndex } from './non-concurrent-index';
import { protectedTable } from './protected-table';
import { renameColumn } from './rename-column';
import { renameTable } from './rename-table';
import { requireIfExists } from './require-if-exists';
import { requireIfNotExists } from './require-if-not-exists';
import { requireLockTimeout } from './require-lock-timeout';
import { roundTripMismatch } from './round-trip-mismatch';
import type { Rule, RuleMeta } from './rule';
import { schemaError } from './schema-error';
import { setNotNull } from './set-not-null';
import { shadowIncomplete } from './shadow-incomplete';
import { syntaxError } from './syntax-error';
import { unbalancedTransaction } from './unbalanced-transaction';
import { unbatchedBackfill } from './unbatched-backfill';
import { unboundedDataChange } from './unbounded-data-change';
import { volatileDefault } from './volatile-default';

export const RULES: readonly Rule[] = [
  syntaxError,
  requireIfNotExists,
  concurrentIndexIfNotExists,
  requireIfExists,
  missingRollback,
  dropColumn,
  dropTable,
  renameColumn,
  renameTable,
  changeColumnType,
  addRequiredColumn,
  setNotNull,
  incompleteRollback,
  nonConcurrentIndex,
  concurrentlyInTransaction,
  enumValueInTransaction,
  constraintWithoutNotValid,
  addUniqueConstraint,
  volatileDefault,
  multiTableLock,
  attachPartition,
  detachPartition,
  blockingRewrite,
  dropPrimaryKey,
  disableTrigger,
  requireLockTimeout,
  unboundedDataChange,
  unbatchedBackfill,
  backfillWithDdl,
  unbalancedTransaction,
  protectedTable,
  duplicateMigrationVersion,
  migrationFileName,
  // Reported from the shadow schema (rule.shadow): run only by `check --shadow`.
  schemaError,
  roundTripMismatch,
  shadowIncomplete,
];

/** Findings the engine itself makes (declared in lint/engine-findings.ts): configured, suppressed and listed like rules. */
export const ENGINE_RULES: readonly RuleMeta[] = ENGINE_FINDINGS;

const BY_ID = new Map<string, RuleMeta>([...RULES, ...ENGINE_RULES].map((r) => [r.id, r]));

export function ruleById(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}

export const RULE_IDS: readonly string[] = [...BY_ID.keys()];

export const DOCS_BASE_URL = 'https://github.com/safemig/safemig/blob/main/docs/rules/';

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}
