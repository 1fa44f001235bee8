import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';
import { startMetricsServer, type HealthReport, type MetricsServer, type MetricsServerOptions, type ReadinessReport } from './metrics-server.js';

describe('metrics server', () => {
  const started: MetricsServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.close()));
  });

  async function start(overrides: Partial<MetricsServerOptions> = {}) {
    const metrics = createMetrics({ defaultMetrics: false });
    const state: { health: HealthReport; readiness: ReadinessReport } = { health: { healthy: true }, readiness: { ready: true } };
    const server = await startMetricsServer({
      address: '127.0.0.1:0',
      registry: metrics.registry,
      health: () => state.health,
      readiness: () => state.readiness,
      ...overrides,
    });
    started.push(server);
    const get = (path: string, init?: RequestInit) => fetch(`http://${server.address}${path}`, init);
    return { metrics, state, server, get };
  }

  it('the bound address must carry the real port when port 0 was asked', async () => {
    const { server } = await start();
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(server.address).not.toBe('127.0.0.1:0');
  });

  it('/metrics must serve the registry in its content type', async () => {
    const { metrics, get } = await start();
    metrics.recordReconcile('demo', 'success', 0.05);
    const response = await get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(metrics.registry.contentType);
    expect(await response.text()).toContain('composelet_reconcile_total{project="demo",result="success"} 1');
  });

  it('/healthz must answer 200 when healthy and 503 with the detail when not', async () => {
    const { state, get } = await start();
    const healthy = await get('/healthz');
    expect([healthy.status, await healthy.text()]).toEqual([200, 'ok\n']);
    state.health = { healthy: false, detail: 'engine event stream stalled' };
    const unhealthy = await get('/healthz');
    expect([unhealthy.status, await unhealthy.text()]).toEqual([503, 'unhealthy: engine event stream stalled\n']);
  });

  it('/readyz must answer 503 with the detail until ready, then 200', async () => {
    const { state, get } = await start();
    state.readiness = { ready: false, detail: 'first reconcile not done' };
    const waiting = await get('/readyz');
    expect([waiting.status, await waiting.text()]).toEqual([503, 'not ready: first reconcile not done\n']);
    state.readiness = { ready: true };
    const ready = await get('/readyz');
    expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);
  });

  it('/status must serve the status function as JSON', async () => {
    const { get } = await start({ status: () => ({ projects: [{ name: 'demo', drifted: 0 }] }) });
    const response = await get('/status');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({ projects: [{ name: 'demo', drifted: 0 }] });
  });

  it('/status must be 404 when no status function was given', async () => {
    const { get } = await start();
    expect((await get('/status')).status).toBe(404);
  });

  it.each(['/', '/metrics/extra', '/favicon.ico'])('unknown path %s must be 404', async (path) => {
    const { get } = await start();
    expect((await get(path)).status).toBe(404);
  });

  it('a query string must not change the route', async () => {
    const { get } = await start();
    expect((await get('/healthz?verbose=1')).status).toBe(200);
  });

  it('a method other than GET or HEAD must be 405', async () => {
    const { get } = await start();
    const response = await get('/metrics', { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('a throwing health check must answer 500 with its message, not crash the server', async () => {
    const { get } = await start({
      health: () => {
        throw new Error('health probe broke');
      },
    });
    const response = await get('/healthz');
    expect([response.status, await response.text()]).toEqual([500, '/healthz failed: health probe broke\n']);
    expect((await get('/readyz')).status).toBe(200);
  });

  it('an address in use must reject with a message naming the address', async () => {
    const { server } = await start();
    await expect(start({ address: server.address })).rejects.toThrow(`metrics server cannot listen on ${server.address}: address already in use`);
  });

  it('an invalid address must reject before listening', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const starting = startMetricsServer({ address: '9464', registry: metrics.registry, health: () => ({ healthy: true }), readiness: () => ({ ready: true }) });
    await expect(starting).rejects.toThrow(/invalid listen address '9464'/);
  });

  it('a closed server must refuse connections, and closing twice must be harmless', async () => {
    const { server, get } = await start();
    expect((await get('/healthz')).status).toBe(200);
    await server.close();
    await server.close();
    await expect(get('/healthz')).rejects.toThrow();
  });
});
