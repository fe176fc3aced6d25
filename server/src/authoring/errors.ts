/** A new migration that cannot be planned (authoring/plan.ts, and the convention modules that write files). */

/** 'order': the new migration would not run last (a runner that orders by whole file name). */
export type NewMigrationErrorKind = 'description' | 'convention' | 'exists' | 'order';

/** A new migration that cannot be planned, with a message for the user. */
export class NewMigrationError extends Error {
  constructor(
    readonly kind: NewMigrationErrorKind,
    message: string,
  ) {
    super(message);
  }
}
