import { stringify } from 'yaml';

// Generated stacks for benchmarks and scale tests: N busybox services in dependency tiers, each with a
// memory limit and a signal-handling PID 1 so stops are prompt; every tenth service has a healthcheck
// that its dependents wait on.

export interface StackOptions {
  services: number;
  /** Services per tier; tier k depends on one service of tier k-1. */
  tierSize?: number;
  image?: string;
  projectName?: string;
  /** Healthchecks on every tier's first service, which the next tier waits for (default true). */
  healthchecks?: boolean;
  /** The healthchecks' interval, start interval and timeout (default `1s` each). */
  healthcheckInterval?: string;
  /** The healthchecks' timeout when it must differ from the interval (tests on a loaded machine). */
  healthcheckTimeout?: string;
}

export function generateStack(options: StackOptions): string {
  const tierSize = options.tierSize ?? 10;
  const image = options.image ?? 'composelet/busybox:1';
  const services: Record<string, unknown> = {};
  for (let index = 0; index < options.services; index += 1) {
    const tier = Math.floor(index / tierSize);
    const name = `svc-${String(index).padStart(3, '0')}`;
    const healthy = (options.healthchecks ?? true) && index % tierSize === 0;
    const service: Record<string, unknown> = {
      image,
      command: ['sh', '-c', "trap 'exit 0' TERM; sleep 86400 & wait"],
      mem_limit: '32m',
      environment: { SERVICE_INDEX: String(index), TIER: String(tier) },
      networks: ['backend'],
    };
    if (healthy) {
      const interval = options.healthcheckInterval ?? '1s';
      service.healthcheck = { test: ['CMD', 'true'], interval, timeout: options.healthcheckTimeout ?? interval, retries: 3, start_period: '1s', start_interval: interval };
    }
    if (tier > 0) {
      const dependency = `svc-${String((tier - 1) * tierSize).padStart(3, '0')}`;
      service.depends_on = { [dependency]: { condition: options.healthchecks === false ? 'service_started' : 'service_healthy' } };
    }
    services[name] = service;
  }
  return stringify({
    ...(options.projectName ? { name: options.projectName } : {}),
    services,
    networks: { backend: null },
  });
}
