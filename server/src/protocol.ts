/**
 * Declared once, imported by both the client and the server: the settings the client sends and
 * custom messages. Nothing here imports `vscode` or the engine.
 */

/** `safemig.*` settings as the server pulls them (workspace/configuration, section "safemig"). */
export interface EditorSettings {
  enable: boolean;
  pgVersion: number | null;
  rules: Record<string, 'error' | 'warning' | 'info' | 'off'>;
  protectedTables: string[] | null;
  migrations: string[] | null;
  convention: string | null;
  assumeInTransaction: boolean | null;
  requireRollback: boolean | null;
}

export const SERVER_ID = 'safemig';
export const OUTPUT_CHANNEL = 'safemig';
