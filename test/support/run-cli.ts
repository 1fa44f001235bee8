import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { commands } from '../../src/cli/commands/index.js';
import { runCli } from '../../src/cli/run-cli.js';

/** Tests never write the operator's audit log: one temporary log per test process unless a test sets its own. */
export const TEST_AUDIT_LOG = join(mkdtempSync(join(tmpdir(), 'composelet-audit-')), 'audit.log');
/** Nor the operator's state directory (remembered volumes, ...): one temporary one per test process. */
export const TEST_STATE_DIR = mkdtempSync(join(tmpdir(), 'composelet-state-'));

// The CLI loads a command's module when it runs; tests load them all here, with the test file, so that
// module loading is not timed as part of a test.
await Promise.all(commands.map((entry) => entry.load()));

/** Runs the CLI in-process with captured output. */
export async function runCliCaptured(
  argv: string[],
  options: { env?: Record<string, string | undefined>; isTTY?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    Object.assign(
      new Writable({
        write(chunk, _encoding, callback) {
          append(String(chunk));
          callback();
        },
      }),
      { isTTY: options.isTTY ?? false },
    );
  const code = await runCli(argv, {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    env: { COMPOSELET_AUDIT_LOG: TEST_AUDIT_LOG, COMPOSELET_STATE_DIR: TEST_STATE_DIR, ...(options.env ?? { PATH: process.env.PATH }) },
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}
