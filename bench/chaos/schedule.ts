import { seededRandom } from './random.js';

// The faults of a run, decided up front from the seed: kinds, target services, bursts and the pauses
// between faults. The same seed, count and stack give the same schedule. Pure.

export const FAULT_KINDS = [
  'kill',
  'stop',
  'rm',
  'update',
  'disconnect',
  'pause',
  'rename',
  'edit',
  'controller-kill',
  'crash-recreate',
  'engine-restart',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults on the whole run rather than on one service. */
export const RUN_WIDE_KINDS: readonly FaultKind[] = ['controller-kill', 'engine-restart'];
/** What a run on the shared engine may inject: the engine other people's work runs on is never restarted. */
export const SHARED_ENGINE_KINDS: readonly FaultKind[] = FAULT_KINDS.filter((kind) => kind !== 'engine-restart');

/** The executor steps of a recreate that crash-recreate faults kill the controller before, in turn. */
export const RECREATE_STEPS = ['create-container', 'stop-container', 'remove-container', 'rename-container', 'start-container'] as const;

export interface PlannedFault {
  /** 0-based, over the whole run. */
  index: number;
  burst: number;
  kind: FaultKind;
  /** The target service; null for the run-wide kinds (controller-kill, engine-restart). */
  service: string | null;
  /** crash-recreate: `COMPOSELET_CRASH_AT` for the controller that runs the recreate. */
  crashAt: string | null;
  /** Pause before injecting it (ms). */
  delayMs: number;
}

export interface ScheduleOptions {
  seed: number;
  faults: number;
  kinds: readonly FaultKind[];
  /** The long-running services faults may target. */
  services: readonly string[];
  /** Faults per burst, inclusive. */
  burstSize: { minimum: number; maximum: number };
}

export function planFaults(options: ScheduleOptions): PlannedFault[] {
  if (options.kinds.length === 0) throw new RangeError('no fault kinds to choose from');
  if (options.services.length === 0) throw new RangeError('no services to fault');
  const random = seededRandom(options.seed);
  const planned: PlannedFault[] = [];
  let crashes = 0;
  for (let burst = 0; planned.length < options.faults; burst += 1) {
    const size = Math.min(options.faults - planned.length, options.services.length, random.integer(options.burstSize.minimum, options.burstSize.maximum));
    // A service is hit at most once per burst, so what a burst broke is told apart per fault.
    const free = [...options.services];
    let kinds = Array.from({ length: size }, () => random.pick(options.kinds));
    // An engine restart takes a burst of its own: it stops every container, so a fault beside it could
    // not be told apart from it (and a paused container or an armed crash point would meet the restart).
    // It is one when the burst's first draw is one, so it is as frequent per burst as any kind is per
    // fault, whatever the burst size; a later draw of it is drawn again from the other kinds.
    if (kinds[0] === 'engine-restart') kinds = ['engine-restart'];
    else if (kinds.includes('engine-restart')) {
      const others = options.kinds.filter((kind) => kind !== 'engine-restart');
      kinds = kinds.map((kind) => (kind === 'engine-restart' ? random.pick(others) : kind));
    }
    // A crash-recreate goes first in its burst: its crash point must hit its own recreate, not a heal.
    kinds.sort((left, right) => Number(right === 'crash-recreate') - Number(left === 'crash-recreate'));
    for (const kind of kinds) {
      const service = RUN_WIDE_KINDS.includes(kind) ? null : free.splice(random.integer(0, free.length - 1), 1)[0]!;
      const crashAt = kind === 'crash-recreate' ? `${RECREATE_STEPS[crashes++ % RECREATE_STEPS.length]}:1` : null;
      planned.push({ index: planned.length, burst, kind, service, crashAt, delayMs: random.integer(0, 1_500) });
    }
  }
  return planned;
}
