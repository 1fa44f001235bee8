#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from './run-cli.js';
import { keepYoungGenerationSmall } from './young-generation.js';

// The `composelet` executable.

const isEntryPoint = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isEntryPoint) {
  // Stack traces name the bundle's chunks; NODE_OPTIONS=--enable-source-maps maps them back to src/ through
  // the source maps shipped beside them. Not by default, not even for `run`: Node keeps every loaded
  // chunk's map in memory, about 13 MiB of the idle controller's RSS (bench/footprint-only.ts).
  // The controller's young generation stays small (young-generation.ts): set before `run` loads anything.
  if (process.argv[2] === 'run') keepYoungGenerationSmall();
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
    (code) => {
      // The controller leaves watchers and sockets behind once stopped: exit explicitly (pipes and files
      // are written synchronously on Linux, so nothing printed is lost).
      process.exit(code);
    },
  );
}
