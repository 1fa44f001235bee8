#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from './run-cli.js';

// The `composelet` executable.

const isEntryPoint = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isEntryPoint) {
  // The controller runs for days and logs stack traces: map them back to src/ through the bundle's source
  // maps (before its modules load, which is when Node reads their maps). One-shot commands skip the cost;
  // NODE_OPTIONS=--enable-source-maps maps theirs too.
  if (process.argv[2] === 'run') process.setSourceMapsEnabled(true);
  runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
    (code) => {
      // The controller leaves watchers and sockets behind once stopped: exit explicitly (pipes and files
      // are written synchronously on Linux, so nothing printed is lost).
      process.exit(code);
    },
  );
}
