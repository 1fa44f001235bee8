// Preloaded with `node --import` into a child process: writes every module the process loads, one file
// URL or path a line, to the file named by COMPOSELET_LOADED_MODULES_FILE. ES modules are seen by a load
// hook (in Node's hooks thread); CommonJS modules, which Node 20 loads without the hooks, are read from
// the require cache when the process exits.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const output = process.env.COMPOSELET_LOADED_MODULES_FILE;
if (output) {
  register(new URL('./record-loaded-modules-hooks.mjs', import.meta.url), { data: { output } });
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const cache = require('node:module')._cache ?? {};
    appendFileSync(output, Object.keys(cache).map((path) => `${path}\n`).join(''));
  });
}
