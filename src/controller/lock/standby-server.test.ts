import { afterEach, describe, expect, it } from 'vitest';
import { startStandbyServer } from './standby-server.js';
import type { MetricsServer } from '../../observability/metrics-server.js';

// A standby controller answers its healthcheck while it waits for the lock: alive, not ready.

let server: MetricsServer | undefined;
afterEach(async () => server?.close());

describe('the standby health server', () => {
  it.each([
    ['/healthz', 200, /^ok: standby, waiting for the lock held by pid 41 on host alpha/],
    ['/readyz', 503, /^not ready: standby, waiting for the lock held by pid 41 on host alpha/],
    ['/metrics', 200, /composelet_controller_standby 1/],
    ['/status', 404, /not found/],
  ])('%s must answer %i', async (path, status, body) => {
    server = await startStandbyServer({ address: '127.0.0.1:0', holder: 'pid 41 on host alpha' });
    const response = await fetch(`http://${server.address}${path}`);
    expect(response.status).toBe(status);
    expect(await response.text()).toMatch(body);
  });

  it('a busy address must be refused naming it', async () => {
    server = await startStandbyServer({ address: '127.0.0.1:0', holder: 'pid 41 on host alpha' });
    await expect(startStandbyServer({ address: server.address, holder: 'x' })).rejects.toThrow(`metrics server cannot listen on ${server.address}: address already in use`);
  });
});
