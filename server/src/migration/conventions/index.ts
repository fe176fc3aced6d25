/**
 * The conventions safemig understands (CONVENTIONS.md), one module each, in detection order: a
 * file is the first convention's that recognises it (markers first, then a folder's own layout,
 * then names, then the folder it sits in); when none does, the first that recognises it by its
 * neighbours; else `plain`. Adding a convention: its module, one line here, its tests
 * (docs/contributing.md, "Add a convention").
 */
import type { ConventionName } from '../model';
import { dbmate } from './dbmate';
import { diesel } from './diesel';
import { drizzle } from './drizzle';
import type { FileContext } from './file';
import { sniffMarkers } from './markers';
import { flyway } from './flyway';
import { golangMigrate } from './golang-migrate';
import { goose } from './goose';
import { knex } from './knex';
import { kysely } from './kysely';
import { migrationScripts } from './migration-scripts';
import { nodePgMigrate } from './node-pg-migrate';
import { plain } from './plain';
import { prisma } from './prisma';
import { rollbackFiles } from './rollback-files';
import { sourcegraph } from './sourcegraph';
import { sqitch } from './sqitch';
import { supabase } from './supabase';
import { template } from './template';
import { typeorm } from './typeorm';
import type { Convention } from './types';

export const CONVENTIONS: readonly Convention[] = [
  // Migrations written as TypeScript / JavaScript: only code files, by folder and shape.
  migrationScripts,
  knex,
  nodePgMigrate,
  kysely,
  typeorm,
  goose,
  dbmate,
  sourcegraph, // before diesel: an `up.sql` beside a metadata.yaml
  diesel,
  prisma,
  sqitch,
  flyway, // before golang-migrate: `V1__x.up.sql` is Flyway's
  golangMigrate,
  drizzle,
  rollbackFiles,
  supabase,
  template,
  plain, // the fallback: recognises nothing by itself
];

const BY_NAME = new Map<string, Convention>(CONVENTIONS.map((c) => [c.name, c]));

/** The module of a convention name; `plain` for a name it does not know. */
export function conventionNamed(name: ConventionName | string): Convention {
  return BY_NAME.get(name) ?? plain;
}

/** The convention of a file, in registry order. */
export function detect(file: FileContext): Convention {
  return CONVENTIONS.find((c) => c.recognises(file)) ?? CONVENTIONS.find((c) => c.recognisesByNeighbours?.(file)) ?? plain;
}

/** The project folder a convention recognises in these entries (a `sqitch.plan`), and its layout's subfolders. */
export function projectFolderOf(entries: readonly string[]): { subfolders: readonly string[] } | undefined {
  for (const c of CONVENTIONS) {
    const project = c.folder?.projectFolder?.(entries);
    if (project) return project;
  }
  return undefined;
}

/** The convention whose sections a text's markers open (goose, dbmate, template), if any. */
export function sectionedConventionOf(text: string): ConventionName | undefined {
  const family = sniffMarkers(text);
  return family && CONVENTIONS.find((c) => c.sections === family)?.name;
}

export type { Convention } from './types';
