import { Gauge, Registry } from 'prom-client';
import { startMetricsServer, type MetricsServer } from '../../observability/metrics-server.js';

// What a `--standby` controller serves on its metrics address while it waits for the lock, so that a
// systemd or compose healthcheck sees a live standby: /healthz 200, /readyz 503 ("standby", it does not
// reconcile), /metrics with composelet_controller_standby 1. Closed once the lock is taken, before the
// controller's own server binds the address.

export async function startStandbyServer(options: { address: string; holder: string }): Promise<MetricsServer> {
  const registry = new Registry();
  const standby = new Gauge({ name: 'composelet_controller_standby', help: '1 while this controller stands by, waiting for the lock.', registers: [registry] });
  standby.set(1);
  const detail = `standby, waiting for the lock held by ${options.holder}`;
  return startMetricsServer({
    address: options.address,
    registry,
    health: () => ({ healthy: true, detail }),
    readiness: () => ({ ready: false, detail }),
  });
}
