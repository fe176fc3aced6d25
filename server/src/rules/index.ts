/** The rule registry: one line per rule. */
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
import type { Rule } from './rule';
import { setNotNull } from './set-not-null';
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
];

/** Findings the engine itself makes: about suppression comments, and about files it did not analyse. */
export const ENGINE_RULES: readonly Pick<Rule, 'id' | 'defaultSeverity' | 'description'>[] = [
  { id: 'unused-suppression', defaultSeverity: 'info', description: 'A safemig-ignore comment that silences nothing.' },
  { id: 'unknown-suppression-rule', defaultSeverity: 'info', description: 'A safemig-ignore comment naming no rule or an unknown rule ID.' },
  { id: 'file-too-large', defaultSeverity: 'warning', description: 'A file over the 2 MB analysis limit, which was not checked.' },
  { id: 'unreadable-file', defaultSeverity: 'error', description: 'A file that cannot be read, or is not UTF-8 text, so it was not checked.' },
  { id: 'internal-error', defaultSeverity: 'error', description: 'A file safemig failed on (a bug in safemig), so it was not checked.' },
];

const BY_ID = new Map<string, Pick<Rule, 'id' | 'defaultSeverity' | 'description'>>([...RULES, ...ENGINE_RULES].map((r) => [r.id, r]));

export function ruleById(id: string): Pick<Rule, 'id' | 'defaultSeverity' | 'description'> | undefined {
  return BY_ID.get(id);
}

export const RULE_IDS: readonly string[] = [...BY_ID.keys()];

export const DOCS_BASE_URL = 'https://github.com/safemig/safemig/blob/main/docs/rules/';

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE_URL}${id}.md`;
}
