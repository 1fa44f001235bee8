import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// vitest's global set-up: every temporary directory a test makes (os.tmpdir(), mkdtemp) lands under one
// directory of this run, removed when the run ends, so a day of test runs does not leave thousands of
// manifest trees, state directories and audit logs in /tmp. The workers inherit TMPDIR: they start after
// this runs. The name is short: Unix socket paths under it must stay within 108 bytes.

export default function setup(): () => void {
  const previous = process.env['TMPDIR'];
  const root = mkdtempSync(join(tmpdir(), 'clt-'));
  process.env['TMPDIR'] = root;
  return () => {
    if (previous === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previous;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
