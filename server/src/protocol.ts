/**
 * What the extension shows the editor, declared once and imported by both the client and the
 * server: every `safemig.*` setting (and the config key it overrides), every command, and the
 * server's identity. `package.json`'s `contributes` is generated from here
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

export interface CommandDeclaration {
  id: string;
  title: string;
  /** When the command can run (package.json `enablement`). */
  enablement?: string;
  /** Menus that show it: menu id → where and when. */
  menus?: Readonly<Record<string, { when?: string; group?: string }>>;
}

const TRUSTED = 'isWorkspaceTrusted';

/** Every command, by the name the client's handler table uses; in the command palette's order. */
export const COMMANDS = {
  restartServer: { id: 'safemig.restartServer', title: 'Restart Language Server' },
  showOutput: { id: 'safemig.showOutput', title: 'Show Output' },
  newMigration: { id: 'safemig.newMigration', title: 'New Migration', enablement: TRUSTED, menus: { 'explorer/context': { when: 'explorerResourceIsFolder', group: 'navigation@9' } } },
  treatFolderAsMigrations: { id: 'safemig.treatFolderAsMigrations', title: 'Treat This Folder as Migrations' },
  apply: { id: 'safemig.apply', title: 'Apply Migration (UP)', enablement: TRUSTED },
  rollback: { id: 'safemig.rollback', title: 'Roll Back Migration (DOWN)', enablement: TRUSTED },
  verify: { id: 'safemig.verify', title: 'Verify Migration Round Trip (UP, DOWN, UP)', enablement: TRUSTED },
  status: { id: 'safemig.status', title: 'Show Migration Status', enablement: TRUSTED },
  setDatabasePassword: { id: 'safemig.setDatabasePassword', title: 'Set Database Password', enablement: TRUSTED },
} as const satisfies Record<string, CommandDeclaration>;

export type CommandName = keyof typeof COMMANDS;

/** The category every command shows under in the palette. */
const CATEGORY = 'safemig';

/** The sections of package.json generated from the declarations above. */
export interface ManifestSections {
  configurationProperties: Record<string, JsonSchema>;
  commands: JsonSchema[];
  menus: Record<string, JsonSchema[]>;
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
    commands: declared.map((c) => ({ command: c.id, title: c.title, category: CATEGORY, ...(c.enablement ? { enablement: c.enablement } : {}) })),
    menus,
    restrictedConfigurations: SETTINGS.filter((s) => s.restricted).map((s) => `${SETTINGS_SECTION}.${s.key}`),
  };
}

/** The parts of package.json that manifestSections() generates. */
interface PackageJson {
  contributes: { configuration: { properties: unknown }; commands: unknown; menus: unknown };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: unknown } };
}

/** package.json with its generated sections replaced; every other key kept as it is, in its place. */
export function withManifestSections<T extends PackageJson>(pkg: T): T {
  const out = structuredClone(pkg);
  const sections = manifestSections();
  out.contributes.configuration.properties = sections.configurationProperties;
  out.contributes.commands = sections.commands;
  out.contributes.menus = sections.menus;
  out.capabilities.untrustedWorkspaces.restrictedConfigurations = sections.restrictedConfigurations;
  return out;
}

/** package.json's text as the sync script writes it. */
export function packageJsonText(pkg: PackageJson): string {
  return `${JSON.stringify(withManifestSections(pkg), null, 2)}\n`;
}
