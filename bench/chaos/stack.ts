import { parse } from 'yaml';
import { generateStack } from '../generate-stack.js';

// The chaos stack: bench's generated stack (busybox services in tiers, healthchecks on each tier's first
// service) plus what faults can lose: every third service keeps a sentinel in a named volume, the next
// one in an anonymous volume (`- /anon`), and a one-shot appends a line to a file in a named volume that
// the first service mounts read-only (so a re-run is seen). Pure.

export const ONE_SHOT = 'once';
export const NAMED_MOUNT = '/named';
export const ANONYMOUS_MOUNT = '/anon';
export const ONE_SHOT_LOG = '/once/runs';
/** The environment variable that manifest edits change (a recreate each time). */
export const EDITED_VARIABLE = 'CHAOS_GENERATION';
export const MEMORY_LIMIT_BYTES = 32 * 1024 * 1024;
export const NETWORK = 'backend';
/** The only image the stack runs (a private engine gets a copy of it). */
export const CHAOS_IMAGE = 'composelet/busybox:1';

export interface ChaosService {
  name: string;
  /** The named volume's key in the compose file, when it has one. */
  namedVolume: string | null;
  anonymousVolume: boolean;
  healthcheck: boolean;
  /** Mounts the one-shot's log (read-only). */
  readsOneShotLog: boolean;
}

export interface ChaosStack {
  /** The long-running services (faults' targets). */
  services: ChaosService[];
  /** The compose document with every service at the given generations (0 unless given). */
  document(generations?: ReadonlyMap<string, number>): Record<string, unknown>;
}

/** How long a replacement must run before its rollout ends (composelet's default is 10 s without a
 * healthcheck): shortened, as the backoff is, so a run measures healing, not waiting. */
export const CHAOS_ROLLOUT_MONITOR = '2s';

export function chaosStack(options: { services: number; backoff?: { initial: string; max: string; resetAfter: string } }): ChaosStack {
  const base = parse(generateStack({ services: options.services, healthchecks: true, image: CHAOS_IMAGE })) as {
    services: Record<string, Record<string, unknown>>;
    networks: Record<string, unknown>;
  };
  const names = Object.keys(base.services);
  const services: ChaosService[] = names.map((name, index) => ({
    name,
    namedVolume: index % 3 === 1 ? `data-${name}` : null,
    anonymousVolume: index % 3 === 2,
    healthcheck: base.services[name]!['healthcheck'] !== undefined,
    readsOneShotLog: index === 0,
  }));
  const backoff = options.backoff ?? { initial: '1s', max: '5s', resetAfter: '20s' };
  return {
    services,
    document(generations = new Map()) {
      const composeServices: Record<string, unknown> = {
        [ONE_SHOT]: {
          image: CHAOS_IMAGE,
          command: ['sh', '-c', `echo ran >> /log/runs`],
          restart: 'no',
          volumes: ['once-log:/log'],
          networks: [NETWORK],
        },
      };
      const volumes: Record<string, null> = { 'once-log': null };
      for (const service of services) {
        const mounts: string[] = [];
        if (service.namedVolume !== null) {
          mounts.push(`${service.namedVolume}:${NAMED_MOUNT}`);
          volumes[service.namedVolume] = null;
        }
        if (service.anonymousVolume) mounts.push(ANONYMOUS_MOUNT);
        const original = base.services[service.name]!;
        const composeService: Record<string, unknown> = {
          ...original,
          // restart "no" would make a cleanly stopped container (exit 0 on SIGTERM) a completed one-shot
          restart: 'unless-stopped',
          environment: { ...(original['environment'] as Record<string, string>), [EDITED_VARIABLE]: String(generations.get(service.name) ?? 0) },
        };
        if (service.readsOneShotLog) {
          mounts.push('once-log:/once:ro');
          composeService['depends_on'] = { ...(original['depends_on'] as object | undefined), [ONE_SHOT]: { condition: 'service_completed_successfully' } };
        }
        if (mounts.length > 0) composeService['volumes'] = mounts;
        composeServices[service.name] = composeService;
      }
      return {
        'x-composelet': {
          healing: { backoff: { initial: backoff.initial, max: backoff.max, reset_after: backoff.resetAfter } },
          rollout: { monitor: CHAOS_ROLLOUT_MONITOR },
        },
        services: composeServices,
        networks: base.networks,
        volumes,
      };
    },
  };
}
