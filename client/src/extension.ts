/** The VS Code side of safemig: starts the language server, registers the commands, the Migrations view and the status bar item. */
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { InitializationOptions, OUTPUT_CHANNEL, SERVER_ID } from '../../server/src/protocol';
import { ExtensionApi, registerCommands } from './commands';
import { offerMigrationFolders } from './migration-folder';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL);
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // TypeScript / JavaScript too: the server lints only the files that are migrations (knex,
    // node-pg-migrate, kysely, TypeORM, scripts/migrations/NNN-name.ts) and leaves the rest alone.
    documentSelector: [
      { scheme: 'file', language: 'sql' },
      { scheme: 'file', language: 'typescript' },
      { scheme: 'file', language: 'javascript' },
    ],
    outputChannel: output,
    // The shadow schema runs the workspace's SQL (in an embedded database): only once it is trusted.
    initializationOptions: { trusted: vscode.workspace.isTrusted, storage: context.storageUri?.fsPath } satisfies InitializationOptions,
    synchronize: {
      // Config files and neighbouring migrations (rollback twins, folder rules) change results.
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/.safemig.json'),
        vscode.workspace.createFileSystemWatcher('**/*.sql'),
        vscode.workspace.createFileSystemWatcher('**/metadata.toml'),
        vscode.workspace.createFileSystemWatcher('**/{migrations,migration,migrate}/**/*.{ts,js,mjs,cjs,mts,cts}'),
        vscode.workspace.createFileSystemWatcher('**/meta/_journal.json'),
      ],
    },
  };
  client = new LanguageClient(SERVER_ID, 'safemig', serverOptions, clientOptions);
  const api = registerCommands(context, { client, output });
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.restart()));
  offerMigrationFolders(context);
  await client.start();
  return api;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
