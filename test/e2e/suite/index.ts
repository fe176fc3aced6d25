// Entry point of the real-editor suite (extensionTestsPath). VS Code loads the compiled
// out/e2e/suite/index.js inside the extension host and calls run(); it must reject on failure.
// Compiled by scripts/e2e/build-tests.mjs; run by scripts/e2e/run.mjs (code-server) or
// scripts/e2e/electron.mjs (@vscode/test-electron).
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // In code-server the extension host's console reaches the runner mixed with the workbench's own
  // log; scripts/e2e/run.mjs asks for a prefix on the reporter's lines to pick them out.
  const prefix = process.env.SAFEMIG_E2E_LOG_PREFIX;
  if (prefix) {
    const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
    const write = base.consoleLog;
    base.consoleLog = (...args: unknown[]) => write(prefix + util.format(...args));
  }

  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.SAFEMIG_E2E_TEST_TIMEOUT ?? 60_000),
    // One slow editor start must not cascade: no retries, report every failure.
    bail: false,
  });
  const grep = process.env.SAFEMIG_E2E_GREP;
  if (grep) mocha.grep(grep);

  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.e2e.js'))
    .sort();
  if (files.length === 0) return Promise.reject(new Error(`no *.e2e.js files next to ${__filename}; run node scripts/e2e/build-tests.mjs`));
  for (const name of files) mocha.addFile(path.join(__dirname, name));

  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} e2e test(s) failed`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
