/**
 * What the extension shows the editor, declared once and imported by both the client and the
 * server: every `safemig.*` setting (and the config key it overrides), every command, and the
 * server's identity, the Migrations view and its menus. `package.json`'s `contributes` is generated from here
 * (`npm run sync:package-json`; test/package/manifest.test.ts fails when it is not).
 * Nothing here imports `vscode`; from the engine only the config validation and the names of
 * conventions and rules.
 */
import { Config, validateConfig } from './config/config';
import { CONVENTION_NAMES } from './migration/model';
import { RULE_IDS } from './rules';

export const SERVER_ID = 'safemig';
export const OUTPUT_CHANNEL = 'safemig';
/** Section of the editor's settings: `safemig.<key>`. */
export const SETTINGS_SECTION = 'safemig';

/** A JSON schema fragment as VS Code reads it in `contributes.configuration`. */
type JsonSchema = { [key: string]: unknown };

export interface SettingDeclaration {
  /** Key under the section: `database.url` is `safemig.database.url`. */
  key: string;
  /** Type, default and constraints, as package.json has them. */
  schema: JsonSchema & { default: unknown };
  scope: 'application' | 'machine' | 'window' | 'resource';
  /** Markdown shown in the settings UI. */
  description: string;
  /** The `.safemig.json` key the setting overrides (dotted for nested keys); none for editor-only settings. */
  config?: string;
  /** Values that mean "not set here: the config file decides", besides null and the empty string. */
  unset?: readonly unknown[];
  /** Ignored in an untrusted workspace (it decides where the database commands connect). */
  restricted?: true;
}

const nullable = (type: string) => [type, 'null'];

/** Every setting, in the order the settings UI shows them. */
export const SETTINGS: readonly SettingDeclaration[] = [
  {
    key: 'enable',
    schema: { type: 'boolean', default: true },
    scope: 'resource',
    description: 'Lint migration files with safemig.',
  },
  {
    key: 'pgVersion',
    schema: { type: nullable('number'), default: null, minimum: 9, maximum: 18 },
    scope: 'resource',
    description: 'PostgreSQL major version of production; overrides `pgVersion` in `.safemig.json` (default 14).',
    config: 'pgVersion',
  },
  {
    key: 'rules',
    schema: { type: 'object', default: {}, additionalProperties: { type: 'string', enum: ['error', 'warning', 'info', 'off'] } },
    scope: 'resource',
    description: 'Rule severities by rule ID (`error`, `warning`, `info`, `off`), over those of `.safemig.json`.',
    config: 'rules',
  },
  {
    key: 'protectedTables',
    schema: { type: nullable('array'), items: { type: 'string' }, default: null },
    scope: 'resource',
    description: 'Tables (names or globs) that migrations here must not touch; overrides `protectedTables`.',
    config: 'protectedTables',
  },
  {
    key: 'migrations',
    schema: { type: nullable('array'), items: { type: 'string' }, default: null },
    scope: 'resource',
    description:
      'Globs of migration files; overrides `migrations` (default: `**/migrations/**/*.sql`, `**/migrate/**/*.sql`, `**/db/**/*.sql`, `supabase/migrations/*.sql`, `**/deploy/*.sql`, `**/revert/*.sql`).',
    config: 'migrations',
  },
  {
    key: 'convention',
    schema: { type: nullable('string'), default: null, enum: [null, 'auto', ...CONVENTION_NAMES] },
    scope: 'resource',
    description: 'Force a migration convention instead of detecting it.',
    config: 'convention',
    unset: ['auto'],
  },
  {
    key: 'assumeInTransaction',
    schema: { type: nullable('boolean'), default: null },
    scope: 'resource',
    description: 'Treat every migration as running inside a transaction.',
    config: 'assumeInTransaction',
  },
  {
    key: 'requireRollback',
    schema: { type: nullable('boolean'), default: null },
    scope: 'resource',
    description: 'Require a rollback even for roll-forward conventions (`true`), or never (`false`).',
    config: 'requireRollback',
  },
  {
    key: 'startAfter',
    schema: { type: nullable('string'), default: null },
    scope: 'resource',
    description:
      'Migrations at or before this version (e.g. `20240101120000`) are read for context only, never reported: for adopting safemig in a project with many applied migrations. Overrides `startAfter` of `.safemig.json`.',
    config: 'startAfter',
  },
  {
    key: 'database.url',
    schema: { type: nullable('string'), default: null },
    scope: 'resource',
    description:
      'Connection URL of the dev database for Apply / Roll Back / Status, e.g. `postgres://me@localhost:5432/app_dev` (no password: it is asked once and kept in VS Code\'s secret storage, or read from `PGPASSWORD` / `~/.pgpass`). Overrides `database.url` of `.safemig.json`; without either (and without `DATABASE_URL`), an embedded PostgreSQL in the workspace storage is used.',
    config: 'database.url',
    restricted: true,
  },
  {
    key: 'database.lockTimeout',
    schema: { type: nullable('string'), default: null },
    scope: 'resource',
    description: '`lock_timeout` set before a migration runs (default `5s`, or `database.lockTimeout` of `.safemig.json`).',
    config: 'database.lockTimeout',
  },
  {
    key: 'database.statementTimeout',
    schema: { type: nullable('string'), default: null },
    scope: 'resource',
    description: '`statement_timeout` set before a migration runs (default `60s`, or `database.statementTimeout` of `.safemig.json`).',
    config: 'database.statementTimeout',
  },
  {
    key: 'shadow.enabled',
    schema: { type: 'boolean', default: true },
    scope: 'resource',
    description:
      'Check each open migration against the schema it will run on (the shadow schema: an embedded PostgreSQL holding the `baseline` and the earlier migrations of its folder), after the other diagnostics. Overrides `shadow` of `.safemig.json` in the editor. Off in an untrusted workspace until you trust it.',
    config: 'shadow',
  },
  {
    key: 'trace.server',
    schema: { type: 'string', enum: ['off', 'messages', 'verbose'], default: 'off' },
    scope: 'window',
    description: 'Trace the communication between VS Code and the safemig language server.',
  },
];

/** Where an error in the editor's settings is reported from. */
export const SETTINGS_SOURCE = 'VS Code settings (safemig.*)';

/**
 * The editor's settings that are set, as a config layer over `.safemig.json`, validated like the
 * config file (throws its ConfigError). `read` gives a setting's value by its key under the
 * section (`database.url`): the client's `getConfiguration('safemig').get`, or a lookup in the
 * object the server pulls.
 */
export function settingsToOverrides(read: (key: string) => unknown): Partial<Config> {
  const raw: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    if (!setting.config) continue;
    const value = read(setting.key);
    if (isUnset(value, setting)) continue;
    const path = setting.config.split('.');
    let layer = raw;
    for (const key of path.slice(0, -1)) layer = (layer[key] ??= {}) as Record<string, unknown>;
    layer[path[path.length - 1]] = value;
  }
  return validateConfig(raw, SETTINGS_SOURCE, RULE_IDS);
}

function isUnset(value: unknown, setting: SettingDeclaration): boolean {
  if (value === undefined || value === null || value === '') return true;
  // An empty object (`rules` by default) adds nothing over the file.
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return true;
  return setting.unset?.includes(value) ?? false;
}

/** A setting's value in the object the server pulls for the section (`{ database: { url } }`). */
export function settingIn(settings: unknown, key: string): unknown {
  let value = settings;
  for (const part of key.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

/** What the client passes the server when it starts it (LSP `initializationOptions`). */
export interface InitializationOptions {
  /** Workspace Trust: the shadow schema runs only in a trusted workspace. */
  trusted?: boolean;
  /** The workspace storage folder, where the shadow cache is kept. */
  storage?: string;
}

/** Server → client: what the shadow schema of the active migration folders is doing (the status bar). */
export const SHADOW_STATUS_NOTIFICATION = 'safemig/shadowStatus';

export interface ShadowStatus {
  /** The migration folder. */
  folder: string;
  /** `replaying`: building the state (done of total migrations); `closed`: no file of the folder is open any more. */
  state: 'replaying' | 'ready' | 'incomplete' | 'failed' | 'closed';
  done?: number;
  total?: number;
  /** For `failed`: why. */
  message?: string;
  /** For `incomplete`: `safemig schema dump` arguments that write the configured baseline (run in `cwd`). */
  dump?: { cwd: string; args: string[] };
}

export interface CommandDeclaration {
  id: string;
  title: string;
  /** When the command can run (package.json `enablement`). */
  enablement?: string;
  /** A codicon (`$(play)`), shown where a menu places the command as a button (inline, view title). */
  icon?: string;
  /** Menus that show it: menu id → where and when. */
  menus?: Readonly<Record<string, { when?: string; group?: string }>>;
}

const TRUSTED = 'isWorkspaceTrusted';

/** The Migrations view in the explorer: folders → migrations with their state on the current target. */
export const MIGRATIONS_VIEW = { id: 'safemig.migrations', name: 'Migrations' } as const;

/**
 * What a migration is on the target, as the Migrations view shows it; `runner`: recorded by the
 * team's runner in its own history table, not by safemig (safemig neither applies nor rolls it back).
 * A repeatable migration (Flyway's `R__x.sql`) is never rolled back: `repeatable` once applied,
 * `rerun` once its file changed since (applying runs it again).
 */
export type MigrationItemState = 'applied' | 'pending' | 'changed' | 'partial' | 'failed' | 'missing' | 'runner' | 'repeatable' | 'rerun';

/** The Migrations view's items (`contextValue`), which the menus below select on. */
export const VIEW_ITEMS = {
  folder: 'safemig.folder',
  migration: (state: MigrationItemState) => `safemig.migration.${state}`,
} as const;

const IN_VIEW = `view == ${MIGRATIONS_VIEW.id}`;
/** An inline button (the `order`th) on the view's migrations in these states. */
const onMigrations = (order: number, ...states: MigrationItemState[]) => ({
  'view/item/context': { when: `${IN_VIEW} && viewItem =~ /^safemig\\.migration\\.(${states.join('|')})$/`, group: `inline@${order}` },
});
const onFolders = (order: number) => ({ when: `${IN_VIEW} && viewItem == ${VIEW_ITEMS.folder}`, group: `inline@${order}` });
const onViewTitle = (order: number) => ({ when: IN_VIEW, group: `navigation@${order}` });

/** Every command, by the name the client's handler table uses; in the command palette's order. */
export const COMMANDS = {
  restartServer: { id: 'safemig.restartServer', title: 'Restart Language Server' },
  showOutput: { id: 'safemig.showOutput', title: 'Show Output' },
  newMigration: { id: 'safemig.newMigration', title: 'New Migration', enablement: TRUSTED, menus: { 'explorer/context': { when: 'explorerResourceIsFolder', group: 'navigation@9' } } },
  treatFolderAsMigrations: { id: 'safemig.treatFolderAsMigrations', title: 'Treat This Folder as Migrations' },
  apply: { id: 'safemig.apply', title: 'Apply Migration (UP)', enablement: TRUSTED, icon: '$(play)', menus: onMigrations(1, 'pending', 'failed', 'rerun') },
  rollback: { id: 'safemig.rollback', title: 'Roll Back Migration (DOWN)', enablement: TRUSTED, icon: '$(discard)', menus: onMigrations(2, 'applied', 'changed', 'partial') },
  verify: { id: 'safemig.verify', title: 'Verify Migration Round Trip (UP, DOWN, UP)', enablement: TRUSTED, icon: '$(beaker)', menus: onMigrations(3, 'applied', 'pending', 'changed', 'partial', 'failed', 'runner', 'repeatable', 'rerun') },
  applyPending: {
    id: 'safemig.applyPending',
    title: 'Apply All Pending Migrations',
    enablement: TRUSTED,
    icon: '$(run-all)',
    menus: { 'view/title': onViewTitle(1), 'view/item/context': onFolders(1) },
  },
  rollbackLast: {
    id: 'safemig.rollbackLast',
    title: 'Roll Back Last Migration',
    enablement: TRUSTED,
    icon: '$(discard)',
    menus: { 'view/title': onViewTitle(2), 'view/item/context': onFolders(2) },
  },
  status: { id: 'safemig.status', title: 'Show Migration Status', enablement: TRUSTED },
  refreshMigrations: { id: 'safemig.refreshMigrations', title: 'Refresh Migrations View', icon: '$(refresh)', menus: { 'view/title': onViewTitle(3) } },
  connectDatabase: {
    id: 'safemig.connectDatabase',
    title: 'Connect the Migrations View to the Database',
    enablement: TRUSTED,
    // The view's "not connected" item runs it with its folder.
    menus: { commandPalette: { when: 'false' } },
  },
  switchTarget: { id: 'safemig.switchTarget', title: 'Switch Database Target', enablement: TRUSTED },
  setDatabasePassword: { id: 'safemig.setDatabasePassword', title: 'Set Database Password', enablement: TRUSTED },
  dumpBaseline: { id: 'safemig.dumpBaseline', title: 'Write the Shadow Baseline from the Dev Database (schema dump)', enablement: TRUSTED },
} as const satisfies Record<string, CommandDeclaration>;

export type CommandName = keyof typeof COMMANDS;

/** The category every command shows under in the palette. */
const CATEGORY = 'safemig';

/** What the Migrations view shows when it has nothing to list (package.json `viewsWelcome`). */
const VIEW_WELCOME: readonly { contents: string; when: string }[] = [
  { contents: 'Open a folder with migrations to see which are applied on your dev database.\n[Open Folder](command:workbench.action.files.openFolder)', when: 'workbenchState == empty' },
  {
    contents: 'The Migrations view reads which migrations are applied on your dev database, so it needs a trusted workspace (linting works without).\n[Manage Workspace Trust](command:workbench.trust.manage)',
    when: 'workbenchState != empty && !isWorkspaceTrusted',
  },
  {
    contents: `No migrations folder in this workspace (safemig looks for the files that \`safemig.migrations\` matches, e.g. \`db/migrations/001_init.sql\`).\n[New Migration](command:${COMMANDS.newMigration.id})`,
    when: 'workbenchState != empty && isWorkspaceTrusted',
  },
];

/** The sections of package.json generated from the declarations above. */
export interface ManifestSections {
  configurationProperties: Record<string, JsonSchema>;
  commands: JsonSchema[];
  menus: Record<string, JsonSchema[]>;
  views: Record<string, JsonSchema[]>;
  viewsWelcome: JsonSchema[];
  restrictedConfigurations: string[];
}

export function manifestSections(): ManifestSections {
  const configurationProperties: Record<string, JsonSchema> = {};
  for (const s of SETTINGS) configurationProperties[`${SETTINGS_SECTION}.${s.key}`] = { ...s.schema, scope: s.scope, markdownDescription: s.description };
  const declared: readonly CommandDeclaration[] = Object.values(COMMANDS);
  const menus: Record<string, JsonSchema[]> = {};
  for (const c of declared) {
    for (const [menu, place] of Object.entries(c.menus ?? {})) (menus[menu] ??= []).push({ command: c.id, ...place });
  }
  return {
    configurationProperties,
    commands: declared.map((c) => ({ command: c.id, title: c.title, category: CATEGORY, ...(c.enablement ? { enablement: c.enablement } : {}), ...(c.icon ? { icon: c.icon } : {}) })),
    menus,
    views: { explorer: [{ id: MIGRATIONS_VIEW.id, name: MIGRATIONS_VIEW.name }] },
    viewsWelcome: VIEW_WELCOME.map((w) => ({ view: MIGRATIONS_VIEW.id, ...w })),
    restrictedConfigurations: SETTINGS.filter((s) => s.restricted).map((s) => `${SETTINGS_SECTION}.${s.key}`),
  };
}

/** The parts of package.json that manifestSections() generates. */
interface PackageJson {
  contributes: { configuration: { properties: unknown }; commands: unknown; menus: unknown; views?: unknown; viewsWelcome?: unknown };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: unknown } };
}

/** package.json with its generated sections replaced; every other key kept as it is, in its place. */
export function withManifestSections<T extends PackageJson>(pkg: T): T {
  const out = structuredClone(pkg);
  const sections = manifestSections();
  out.contributes.configuration.properties = sections.configurationProperties;
  out.contributes.commands = sections.commands;
  out.contributes.menus = sections.menus;
  out.contributes.views = sections.views;
  out.contributes.viewsWelcome = sections.viewsWelcome;
  out.capabilities.untrustedWorkspaces.restrictedConfigurations = sections.restrictedConfigurations;
  return out;
}

/** package.json's text as the sync script writes it. */
export function packageJsonText(pkg: PackageJson): string {
  return `${JSON.stringify(withManifestSections(pkg), null, 2)}\n`;
}
