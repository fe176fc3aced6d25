/**
 * What the shadow schema found for one file, as plain data (it crosses to the check workers):
 * offsets are UTF-16 offsets of that file. The rules schema-error, round-trip-mismatch and
 * shadow-incomplete turn it into findings, so severities and suppressions work as for any rule.
 */

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

export interface ShadowFile {
  errors: ShadowError[];
  incomplete?: ShadowIncomplete;
  mismatches: ShadowMismatch[];
}

export const emptyShadowFile = (): ShadowFile => ({ errors: [], mismatches: [] });

/** The shadow's findings by absolute file path; a file the shadow ran for has an entry, empty or not. */
export type ShadowResults = Map<string, ShadowFile>;
