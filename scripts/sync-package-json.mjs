// Rewrites the generated sections of package.json (settings, commands, menus, views, restricted
// settings) from server/src/protocol.ts. test/package/manifest.test.ts fails until this is run.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

// The engine is CommonJS TypeScript: load it the way the tests do.
register();
const { packageJsonText } = createRequire(import.meta.url)('../server/src/protocol.ts');
const path = new URL('../package.json', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = packageJsonText(JSON.parse(before));
if (after === before) {
  console.log('package.json is in step with server/src/protocol.ts');
} else {
  writeFileSync(path, after);
  console.log('package.json: generated sections rewritten from server/src/protocol.ts');
}
