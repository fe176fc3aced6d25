/**
 * The engine as the VS Code client sees it: what its database and authoring commands need, and
 * nothing else. The client imports only this file and protocol.ts from server/
 * (test/package/client-imports.test.ts holds both directions: no other import, no unused export).
 * The language server and the CLI use the engine's modules directly.
 */

// Configuration: `.safemig.json` under the editor's settings (protocol.ts maps those).
export { CONFIG_FILE_NAME, ConfigError, guardSettings } from './config/config';
export { addMigrationFolder } from './config/add-migration-folder';
export type { Config, DatabaseConfig } from './config/config';
export { ConfigResolver, configBase, isMigrationFile } from './workspace/settings';
export type { ResolvedConfig } from './workspace/settings';
export { DiskFileSystem } from './workspace/node-fs';
export { initParser } from './sql/pg';

// New Migration: where, which convention, which name, which files.
export { gitAuthor, projectTemplate } from './authoring/author';
export { descriptionProblem } from './authoring/description';
export { describeFolder, findMigrationFolders, migrationFolderOf, resolveTargetFolder } from './authoring/folders';
export type { MigrationFolder } from './authoring/folders';
export { impliedConvention, namePatternWarnings, NewMigrationError, planNewMigration } from './authoring/plan';
export type { NewMigrationPlan } from './authoring/plan';
export { codeMigrationsIn, NEW_FOLDER_CHOICES } from './authoring/style';

// The database commands: which target, behind which guard, and the runs and their reports.
export { chooseTarget, connectionLabel } from './database/connection';
export type { ServerConnection, TargetChoice } from './database/connection';
export { GuardRefusal, openTarget } from './database/open';
export { openThrowawayEmbedded } from './database/embedded';
export { ConnectionError } from './database/target';
export type { Target } from './database/target';
export { formatMs } from './database/execute';
export type { Progress, RunFailure } from './database/execute';
export { locateInFolder } from './database/history';
export { PlanError } from './database/plan';
export { AlreadyAppliedError, apply, formatRollbackRisk, label, rollback, rollbackRisk } from './database/migrate';
export { applyBlockers, destructiveUp, formatBlockers } from './database/gate';
export { formatRunnerReport, up } from './database/runner';
export type { RunnerReport } from './database/runner';
export type { MigrateReport } from './database/migrate';
export { verify } from './database/verify';
export { readBaseline } from './shadow/baseline';
export type { BaselineFile } from './shadow/baseline';
export type { VerifyReport } from './database/verify';
export { formatStatus, runsOnUp, status } from './database/status';
export type { StatusReport } from './database/status';
