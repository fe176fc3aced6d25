/**
 * What the shadow schema found for one file, as plain data (it crosses to the check workers):
 * offsets are UTF-16 offsets of that file. The rules schema-error, round-trip-mismatch and
 * shadow-incomplete turn it into findings, so severities and suppressions work as for any rule.
 */
import type { LockMode } from '../analysis/locks';

/** A statement PostgreSQL rejected in the shadow. */
export interface ShadowError {
  start: number;
  end: number;
  /** PostgreSQL's message, and its detail and hint when it gave them. */
  message: string;
  detail?: string;
  hint?: string;
  /** The UP part, or the DOWN part (run against what the UP part left). */
  part: 'up' | 'down';
  /** A missing relation's nearest known table (edit distance ≤ 2). */
  suggestion?: string;
}

/** The first statement naming a table the shadow does not hold: the schema checks of the file are skipped. */
export interface ShadowIncomplete {
  start: number;
  end: number;
  /** The table (or schema) named, as PostgreSQL said it. */
  name: string;
  /** Set when the shadow lacks it because an earlier statement failed there (`file:line: message`). */
  failedEarlier?: string;
  /** Set when a statement here ran longer than this many seconds in the shadow and was stopped (`name` is empty). */
  ranTooLong?: number;
}

/** Where UP → DOWN → UP does not come back. */
export interface ShadowMismatch {
  start: number;
  end: number;
  /**
   * `left`: DOWN leaves an object UP made; `missing`: DOWN does not restore an object that existed
   * before UP; `changed`: DOWN leaves it altered; `up-fails`: UP fails when run again after DOWN.
   */
  kind: 'left' | 'missing' | 'changed' | 'up-fails';
  /** The object's kind as the schema snapshot names it (`index`, `column`); none for up-fails. */
  objectKind?: string;
  /** `idx_x`, `users.email`; for up-fails, PostgreSQL's message. */
  name: string;
  /** For `changed`: what differs (`type: integer → bigint`). */
  details?: string;
}

/** A column of a table as the schema before the migration has it. */
export interface ShadowColumn {
  name: string;
  /** `format_type`: `character varying(50)`, `timestamp(3) with time zone`, `integer[]`. */
  type: string;
  notNull: boolean;
  /** A validated `CHECK (column IS NOT NULL)` proves it holds no NULL (SET NOT NULL skips its scan). */
  checkedNotNull: boolean;
}

/** A relation the migration names, as the schema before the migration holds it. */
export interface ShadowTable {
  /** The name's key as the migration writes it (`tableKey`). */
  key: string;
  columns: ShadowColumn[];
}

/**
 * What the schema just before the migration holds of the relations its UP part names: facts for
 * the static rules (analysis/facts.ts). Arrays, not maps: plain data that crosses to workers.
 */
export interface ShadowSchema {
  /** The named relations that exist before the migration; a named one not listed does not. */
  tables: ShadowTable[];
  /** A baseline is configured: a relation the shadow lacks is not in the target schema either. */
  complete: boolean;
}

/** A lock the shadow's transaction holds after a statement of the UP part (pg_locks). */
export interface ObservedLock {
  /** `users`, `audit.events` (`public` left out, as `tableKey`); a relation dropped by then, as it was named. */
  relation: string;
  kind: 'table' | 'index' | 'view' | 'materialized view' | 'sequence';
  mode: LockMode;
  /** Taken by this statement: not held before it in the transaction. */
  taken: boolean;
  /** The statement made the relation. */
  created?: boolean;
  /** The statement (or an earlier one) dropped it. */
  dropped?: boolean;
}

/** What a statement of the UP part did in the shadow: the locks its transaction then holds, the tables it rewrote. */
export interface ObservedStatement {
  /** The statement's offsets in its file. */
  start: number;
  end: number;
  locks: ObservedLock[];
  /** Tables whose files the statement replaced (relfilenode changed): every row written anew. */
  rewritten: string[];
  /** It ran without its `CONCURRENTLY` (a transaction cannot): the locks are the plain form's, not its own. */
  plainForm?: boolean;
}

export interface ShadowFile {
  errors: ShadowError[];
  incomplete?: ShadowIncomplete;
  mismatches: ShadowMismatch[];
  /** The schema before the migration, for the static rules; set when the file was checked. */
  schema?: ShadowSchema;
  /** What each statement of the UP part that ran did, in order; set when the file was checked. */
  observed?: ObservedStatement[];
}

export const emptyShadowFile = (): ShadowFile => ({ errors: [], mismatches: [] });

/** The shadow's findings by absolute file path; a file the shadow ran for has an entry, empty or not. */
export type ShadowResults = Map<string, ShadowFile>;
