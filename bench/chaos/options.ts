import { parseArgs } from 'node:util';
import { FAULT_KINDS, SHARED_ENGINE_KINDS, type FaultKind } from './schedule.js';

// `npm run chaos -- [--faults N] [--seed S] ...` read into options, with clear errors. Pure.

export interface ChaosArguments {
  faults: number;
  /** null: pick one (and print it). */
  seed: number | null;
  services: number;
  kinds: FaultKind[];
  /** shared: the engine DOCKER_HOST names (never restarted); private: a dockerd of the run's own. */
  engine: 'shared' | 'private';
  convergeTimeoutMs: number;
  /** Faults per burst, inclusive. */
  burstSize: { minimum: number; maximum: number };
  /** Start no burst after this long (the report says how many faults ran); null: run them all. */
  budgetMs: number | null;
  skipSetup: boolean;
  help: boolean;
}

export const CHAOS_USAGE = `Usage: npm run chaos -- [--faults N] [--seed S] [--services N] [--kinds K,K...] [--engine shared|private] [--timeout SECONDS] [--burst MIN-MAX] [--minutes M] [--skip-setup]

  --faults N        faults to inject, in bursts (default 40)
  --seed S          a 32-bit unsigned integer; the same seed gives the same faults (default: one is picked and printed)
  --services N      long-running services in the stack, beside the one-shot (default 30)
  --kinds K,...     fault kinds to draw from (default all the engine allows): ${FAULT_KINDS.join(', ')}
  --engine E        shared (default): the engine DOCKER_HOST names, never restarted;
                    private: a dockerd of the run's own (root; its own data root, socket and network
                    namespace, the images copied in), which engine-restart faults stop and start again
  --timeout S       deadline for convergence after each burst, in seconds (default 90)
  --burst MIN-MAX   faults per burst, at most one per service (default 1-4)
  --minutes M       start no burst after M minutes; the report says how many faults ran (default: no limit)
  --skip-setup      do not run the set-up scripts and the build`;

export function parseChaosArguments(argv: readonly string[]): ChaosArguments {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      faults: { type: 'string' },
      seed: { type: 'string' },
      services: { type: 'string' },
      kinds: { type: 'string' },
      engine: { type: 'string' },
      timeout: { type: 'string' },
      burst: { type: 'string' },
      minutes: { type: 'string' },
      'skip-setup': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const engine = values.engine ?? 'shared';
  if (engine !== 'shared' && engine !== 'private') throw new Error(`--engine: expected shared or private, got ${JSON.stringify(engine)}`);
  const allowed = engine === 'private' ? FAULT_KINDS : SHARED_ENGINE_KINDS;
  const kinds = values.kinds === undefined ? [...allowed] : values.kinds.split(',').map((kind) => kind.trim());
  const unknown = kinds.filter((kind) => !(FAULT_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0) throw new Error(`--kinds: unknown fault kind ${unknown.join(', ')} (known: ${FAULT_KINDS.join(', ')})`);
  if (kinds.length === 0) throw new Error('--kinds: no fault kind given');
  const notAllowed = kinds.filter((kind) => !(allowed as readonly string[]).includes(kind));
  if (notAllowed.length > 0) throw new Error(`--kinds: ${notAllowed.join(', ')} needs --engine private (the shared engine is never restarted)`);
  const services = integer('--services', values.services, 30, 4);
  return {
    faults: integer('--faults', values.faults, 40, 1),
    seed: values.seed === undefined ? null : integer('--seed', values.seed, 0, 0, 2 ** 32 - 1),
    services,
    kinds: kinds as FaultKind[],
    engine,
    convergeTimeoutMs: integer('--timeout', values.timeout, 90, 5) * 1000,
    burstSize: burstSize(values.burst, services),
    budgetMs: values.minutes === undefined ? null : integer('--minutes', values.minutes, 0, 1) * 60_000,
    skipSetup: values['skip-setup'] === true,
    help: values.help === true,
  };
}

function integer(flag: string, text: string | undefined, fallback: number, minimum: number, maximum = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < minimum || Number(text) > maximum) throw new Error(`${flag}: expected a whole number from ${minimum} to ${maximum}, got ${JSON.stringify(text)}`);
  return Number(text);
}

function burstSize(text: string | undefined, services: number): { minimum: number; maximum: number } {
  if (text === undefined) return { minimum: 1, maximum: 4 };
  const match = /^(\d+)-(\d+)$/.exec(text);
  const [minimum, maximum] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (minimum < 1 || maximum < minimum) throw new Error(`--burst: expected MIN-MAX with 1 <= MIN <= MAX, got ${JSON.stringify(text)}`);
  if (maximum > services) throw new Error(`--burst: at most ${services} faults per burst with --services ${services} (a service is hit once per burst), got ${JSON.stringify(text)}`);
  return { minimum, maximum };
}
