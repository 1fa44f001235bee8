import { runParsed } from './backup-cli.test-support.js';

// A process running `composelet backup ...` (for tests that kill it mid-backup).
const code = await runParsed(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
process.exitCode = code;
