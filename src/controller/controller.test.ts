import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { FakeEngine } from '../../test/support/fake-engine.js';
import { startController } from './controller.js';

describe('startController', () => {
  it('stop must return soon after its grace period even while an engine call is still running', async () => {
    const root = mkdtempSync(join(tmpdir(), 'composelet-controller-'));
    mkdirSync(join(root, 'demo'));
    writeFileSync(join(root, 'demo', 'compose.yaml'), 'services:\n  app:\n    image: busybox:1\n');
    const engine = new FakeEngine();
    engine.images.set('busybox:1', { Id: 'sha256:busybox', RepoTags: ['busybox:1'], Labels: null });
    // like a stop that waits for a container's whole stop timeout
    engine.delay('startContainer', 3_000);
    const controller = await startController({
      root,
      engine,
      logger: pino({ level: 'silent' }),
      metricsAddress: '127.0.0.1:0',
      resyncMs: 60_000,
      prune: false,
      environment: {},
      auditLogPath: null,
    homeDir: root,
    });
    while (!engine.calls.some((call) => call.method === 'startContainer')) await new Promise((resolve) => setTimeout(resolve, 10));

    const stoppingAt = Date.now();
    await controller.stop({ graceMs: 100 });
    expect(Date.now() - stoppingAt).toBeLessThan(1_500);
  });
});
