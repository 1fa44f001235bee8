import { mkdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { readJsonFile, writeFileAtomic } from '../../state/atomic-file.js';
import { abortableDelay } from '../sources/abortable-delay.js';
import { controllerPaths, currentBootId, type ControllerIdentity } from './controller-identity.js';
import { tryFlock, type FlockHold } from './flock-hold.js';
import { describeHolder, isOwnLease, leaseRecordSchema, leaseVerdict, LEASE_FORMAT, type Contender, type LeaseRecord } from './lease.js';

// One controller per manifests root and engine. The flock (released by the kernel when its holder dies,
// even by SIGKILL) decides between controllers on one kernel; the lease record beside it names the holder
// and, renewed every heartbeat, holds off controllers on other hosts that share the engine and this state
// directory until it is `expiryMs` old. Without --standby a second controller is refused; with it, it polls
// and takes over as soon as the lock is free.

export class ControllerLockHeldError extends Error {
  readonly kind = 'controller-lock-held' as const;
  constructor(
    readonly identity: ControllerIdentity,
    readonly holder: LeaseRecord | null,
    readonly lockPath: string,
  ) {
    super(
      `another controller already runs on ${identity.root} with engine ${identity.engine}: ${describeHolder(holder)} ` +
        `(lock ${lockPath}). Stop it first, or start this one with --standby to take over when it ends.`,
    );
    this.name = 'ControllerLockHeldError';
  }
}

export interface ControllerLockOptions {
  stateDir: string;
  identity: ControllerIdentity;
  /** Wait for the holder to go instead of failing. */
  standby: boolean;
  logger: Logger;
  /** Standby polling period (default 250 ms). */
  pollMs?: number;
  /** Lease renewal period (default 2 s) and age at which another host's lease counts as expired (default 10 s). */
  heartbeatMs?: number;
  expiryMs?: number;
  /** Abandons a standby wait (then it rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Called once when a standby starts waiting (run.ts serves /healthz from here); its error ends the wait. */
  onStandby?: (holder: LeaseRecord | null) => Promise<void>;
  now?: () => number;
  contender?: Contender;
}

export interface ControllerLock {
  holder: LeaseRecord;
  /** Resolves if the lock is lost while held (the flock child died, or another host took the lease). */
  lost: Promise<string>;
  release(): Promise<void>;
}

export async function acquireControllerLock(options: ControllerLockOptions): Promise<ControllerLock> {
  const paths = controllerPaths(options.stateDir, options.identity);
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 250;
  const expiryMs = options.expiryMs ?? 10_000;
  const contender = options.contender ?? { pid: process.pid, host: hostname(), bootId: currentBootId() };
  await mkdir(paths.directory, { recursive: true });
  const readLease = () => readLeaseRecord(paths.lease);
  let announced = false;
  let flock: FlockHold | null = null;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      flock ??= await tryFlock(paths.lock);
      const lease = await readLease();
      const verdict = flock ? leaseVerdict(lease, contender, { now: now(), expiryMs }) : { free: false as const, holder: lease };
      if (verdict.free) break;
      if (!options.standby) throw new ControllerLockHeldError(options.identity, verdict.holder, paths.lock);
      if (!announced) {
        announced = true;
        options.logger.info({ holder: verdict.holder, lock: paths.lock }, `standing by: ${describeHolder(verdict.holder)} runs this controller; taking over when it ends`);
        await options.onStandby?.(verdict.holder);
      }
      await abortableDelay(pollMs, options.signal ?? new AbortController().signal);
    }
  } catch (error) {
    await flock?.release();
    throw error;
  }
  // the loop only ends with the flock taken and the lease free
  const held = flock as FlockHold;
  const since = now();
  const own: LeaseRecord = { format: LEASE_FORMAT, version: 1, ...contender, since, heartbeatAt: since, ...options.identity };
  await writeFileAtomic(paths.lease, `${JSON.stringify(own, null, 2)}\n`);

  let reportLoss: (reason: string) => void = () => {};
  const lost = new Promise<string>((resolve) => (reportLoss = resolve));
  let released = false;
  void held.ended.then(({ released: byUs }) => {
    if (!byUs) reportLoss(`the flock(1) process holding ${paths.lock} ended`);
  });
  let renewing = Promise.resolve();
  const heartbeat = setInterval(() => {
    renewing = renewing.then(async () => {
      if (released) return;
      const current = await readLease().catch(() => null);
      if (!isOwnLease(current, own)) {
        reportLoss(`the lease ${paths.lease} now names ${describeHolder(current)}`);
        return;
      }
      await writeFileAtomic(paths.lease, `${JSON.stringify({ ...own, heartbeatAt: now() }, null, 2)}\n`);
    }).catch((error: unknown) => options.logger.warn({ error: error instanceof Error ? error.message : error }, 'could not renew the controller lease'));
  }, options.heartbeatMs ?? 2_000);
  options.logger.info({ lock: paths.lock, lease: paths.lease }, 'controller lock taken');
  return {
    holder: own,
    lost,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      await renewing;
      // Gone on purpose: a standby on another host need not wait for the lease to expire.
      if (isOwnLease(await readLease().catch(() => null), own)) await unlink(paths.lease).catch(() => {});
      await held.release();
    },
  };
}

async function readLeaseRecord(path: string): Promise<LeaseRecord | null> {
  const parsed = leaseRecordSchema.safeParse(await readJsonFile<unknown>(path).catch(() => null));
  return parsed.success ? parsed.data : null;
}
