/**
 * What a convention module tells the engine (CONVENTIONS.md): how to recognise its files, how
 * it splits them into UP and DOWN, whether its runner wraps a transaction, how its folders read
 * as migrations and how a new migration is named and laid out. One `Convention` per module.
 */
import type { DescriptionStyle } from '../../authoring/description';
import type { TemplateParts } from '../../authoring/template';
import type { VersionScheme } from '../../authoring/version';
import type { SqlStatement } from '../../sql/parse';
import type { ConventionInfo, ConventionName, FileSystem, FolderMigration } from '../model';
import type { FileNameParts } from '../names';
import type { FileContext } from './file';
import type { MarkerFamily } from './markers';

/**
 * How the runner wraps a part in a transaction: `begin` when it sends BEGIN … COMMIT around it,
 * `implicit-block` when it sends the file as one multi-statement query (PostgreSQL runs it as one
 * implicit transaction block), `batch` when it sends the part and its history INSERT as one
 * batch (the same implicit transaction, counted as the runner's), undefined when it does not.
 */
export type RunnerWrapping = 'begin' | 'implicit-block' | 'batch' | undefined;

export interface Convention {
  readonly name: ConventionName;
  /** The runner's history table (CONVENTIONS.md); undefined for conventions run by hand. */
  readonly historyTable?: string;
  /** The marker family whose UP / DOWN sections split this convention's files. */
  readonly sections?: MarkerFamily;
  /**
   * How the add-rollback fix writes a DOWN section into a file of this convention: the marker
   * family, whether the section is SQL written as comments (so that a runner or `psql` that runs
   * the whole file runs only the UP part), and whether an UP marker must be added first.
   * Undefined: the template's marker, commented out.
   */
  readonly downSection?: { family: MarkerFamily; commented: boolean; markUp?: boolean };
  /** The tool names the migrations (sqitch's plan, Prisma's generated folders): no name or version checks. */
  readonly namedByTool?: boolean;
  /** What the runner does with two migrations of one version, for duplicate-migration-version. */
  readonly duplicateVersion?: string;
  /** The runner orders migrations by whole file name and records each by it (knex, kysely): a shared version is harmless. */
  readonly runsByName?: boolean;
  /** Run by hand, with no history table: several migrations dated the same day are normal. */
  readonly dateVersionsMayRepeat?: boolean;

  /** The file is this convention's, from its markers, name, folder or neighbours. Asked in registry order. */
  recognises(file: FileContext): boolean;
  /**
   * Asked only when no convention recognised the file: a weaker sign, from the neighbours alone
   * (a forward file whose folder keeps rollback files).
   */
  recognisesByNeighbours?(file: FileContext): boolean;
  /** The file's role, UP / DOWN parts and twin. Also used when the config forces the convention. */
  read(file: FileContext): ConventionInfo;
  /**
   * How the runner wraps a part that it runs in a transaction (`runnerTransaction`), given the
   * part's SQL statements; `mustRunOutside` tells the statements PostgreSQL refuses in a
   * transaction. Undefined: `begin`.
   */
  runnerWrapping?(sql: readonly SqlStatement[], mustRunOutside: (s: SqlStatement) => boolean): RunnerWrapping;

  /** How a migrations folder holding this convention's files reads as a list of migrations. */
  readonly folder?: FolderReading;
  /** How a new migration of this convention is named and laid out. */
  readonly authoring?: Authoring;
}

export interface FolderReading {
  /** A folder that is wholly this convention's (sqitch: its plan), read in its own order; else undefined. */
  readFolder?(dir: string, entries: readonly string[], fs: FileSystem): FolderMigration[] | undefined;
  /** The files of a per-migration folder (`<version>_<name>/`) with these entries, when it is this convention's. */
  migrationFolder?(path: string, entries: readonly string[]): FolderMigration['files'] | undefined;
  /**
   * What a file of a flat folder is to this convention: one side of a pair, or a repeatable
   * migration; `underscore` when the direction is a `_up` / `_down` suffix. Undefined: not its.
   */
  fileSide?(name: string, parts: FileNameParts, present: ReadonlySet<string>): { side: 'up' | 'down' | 'repeatable'; underscore?: boolean } | undefined;
  /** The folder's single-file migrations are this convention's (`supabase/migrations`). */
  ownsFolder?(dir: string): boolean;
  /**
   * A folder with these entries is this convention's project folder even before it holds a
   * migration (sqitch: a `sqitch.plan`); `subfolders` are the layout's own (`deploy/`,
   * `revert/`, `verify/`), which hold no other migrations folder. Undefined: not its.
   */
  projectFolder?(entries: readonly string[]): { subfolders: readonly string[] } | undefined;
}

export interface NamingStyle {
  scheme: VersionScheme;
  /** Before the version: `V` (Flyway, authelia), or ''. */
  prefix: string;
  /** Between version and description: `_`, `-`, `.`, `__` (Flyway). */
  separator: string;
  /** The folder's names carry a description (harness names its files `0188.up.sql`). */
  describe: boolean;
  description: DescriptionStyle;
}

/** Who writes the migration (for sqitch.plan: `Name <email>`). */
export interface Author {
  name: string;
  email?: string;
}

/** What a convention module needs to lay out a new migration. */
export interface LayoutInput {
  /** The migrations folder (absolute). */
  dir: string;
  /** The new name without extension: `20251122_add_x`, `V2__add_x`, sqitch's change name. */
  stem: string;
  /** The filled template taken apart. */
  parts: TemplateParts;
  /** The folder's migrations in run order (none for an empty folder). */
  migrations: readonly FolderMigration[];
  /** The files wrap their SQL in `BEGIN; … COMMIT;`. */
  transactionBlock: boolean;
  naming: NamingStyle;
  fs: FileSystem;
  /** As the user wrote it. */
  description: string;
  author: Author;
  now: Date;
}

/** The files of a new migration. */
export interface Layout {
  /** The first file holds the UP part. `text` still contains the cursor placeholder. */
  files: { path: string; text: string }[];
  /** Offset of the UP part in the first file, for the default cursor. */
  upAt: number;
  /** Text to append to existing files (a sqitch change's line in sqitch.plan). */
  appends: { path: string; text: string }[];
  /** A folder the migration creates (diesel, prisma, sourcegraph). */
  folder?: string;
  /** The new migration's name as it shows in the folder (`20251122_add_x.sql`, `2019-…_add_x/`). */
  name: string;
}

/** A convention offered for an empty folder, with the names it writes. */
export interface NewFolderChoice {
  id: string;
  convention: ConventionName;
  label: string;
  /** What the files look like, for the picker. */
  example: string;
  naming: NamingStyle;
  /** Place in the picker (lower first): this project's template leads. */
  rank: number;
}

export interface Authoring {
  /** The choices this convention offers for an empty folder. */
  choices: readonly NewFolderChoice[];
  /** The files of a new migration, laid out like the folder's others (its shape, its runner's files). */
  layOut(input: LayoutInput): Layout;
  /** An empty folder already implies this convention (a `sqitch.plan`, Prisma's `migration_lock.toml`). */
  impliedBy?(dir: string, entries: readonly string[]): boolean;
  /** New files wrap their SQL in `BEGIN; … COMMIT;`, judged from the folder's versioned migrations (none when empty). */
  transactionBlock?(migrations: readonly FolderMigration[], fs: FileSystem): boolean;
  /**
   * How versions are written when the folder does not say: `dotted` (Flyway `V1.1__x`, with this
   * prefix and separator), `none` (sqitch names changes). Undefined: the folder's scheme.
   */
  versions?: { kind: 'dotted'; prefix: string; separator: string } | { kind: 'none' };
}
