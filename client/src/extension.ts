/** The VS Code side of safemig: starts the language server and registers the commands. */
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { OUTPUT_CHANNEL, SERVER_ID } from '../../server/src/protocol';
import { registerCommands } from './commands';
import { offerMigrationFolders } from './migration-folder';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL);
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'sql' }],
    outputChannel: output,
    synchronize: {
      // Config files and neighbouring migrations (rollback twins, folder rules) change results.
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/.safemig.json'),
        vscode.workspace.createFileSystemWatcher('**/*.sql'),
        vscode.workspace.createFileSystemWatcher('**/metadata.toml'),
      ],
    },
  };
  client = new LanguageClient(SERVER_ID, 'safemig', serverOptions, clientOptions);
  registerCommands(context, { client, output });
  offerMigrationFolders(context);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
