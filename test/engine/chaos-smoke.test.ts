import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runChaos } from '../../bench/chaos/suite.js';
import type { FaultKind } from '../../bench/chaos/schedule.js';
import { testEngine } from '../support/engine.js';

// The chaos suite on a small seed, as CI runs it: a 6-service stack under `composelet run` (the built
// CLI), 6 faults, and the invariants after every burst. The fault kinds are listed here on purpose:
// `rm` is in since anonymous volumes survive `docker rm -f`; `pause` is left out only for time (it waits
// for a resync).

const SMOKE_FAULT_KINDS: readonly FaultKind[] = ['kill', 'stop', 'rm', 'update', 'disconnect', 'rename', 'edit', 'controller-kill', 'crash-recreate'];
const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

describe('the chaos suite, small seed', () => {
  it('must heal every fault with no duplicate, no data lost, no stray, no one-shot re-run and whole audit lines', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (scripts/test.sh does) before the engine tests`);
    const lines: string[] = [];
    const report = await runChaos({
      engine: testEngine(),
      cliPath: CLI,
      seed: 10,
      faults: 6,
      services: 6,
      kinds: SMOKE_FAULT_KINDS,
      burstSize: { minimum: 1, maximum: 3 },
      convergeTimeoutMs: 30_000,
      resync: '2s',
      pollMs: 100,
      signal: AbortSignal.timeout(110_000),
      log: (line) => lines.push(line),
    });
    const context = `${lines.join('\n')}\n${JSON.stringify(report.faults, null, 1)}`;
    expect(report.faults.map((fault) => `${fault.kind} ${fault.service ?? ''}: ${fault.outcome}`), context).toEqual(
      report.faults.map((fault) => `${fault.kind} ${fault.service ?? ''}: healed`),
    );
    expect(report.totals, context).toMatchObject({ injected: 6, healed: 6, duplicates: 0, dataLost: 0, strays: 0, oneShotReruns: 0, brokenAuditLines: 0, burstsNotConverged: 0 });
  }, 120_000);
});
