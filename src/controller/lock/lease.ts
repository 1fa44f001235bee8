import { z } from 'zod';

// The lease record beside the lock: who holds the controller of a manifests root and engine (pid, host,
// since), and a heartbeat the holder renews. On one kernel the flock decides and the record only names the
// holder; a controller on another kernel (another host sharing the engine and, over shared storage, this
// state directory) is held off while the record's heartbeat is fresh. Pure: time and identity come in.

export const LEASE_FORMAT = 'composelet/controller-lease';

export const leaseRecordSchema = z.object({
  format: z.literal(LEASE_FORMAT),
  version: z.literal(1),
  pid: z.number().int(),
  host: z.string(),
  /** /proc/sys/kernel/random/boot_id: the same for every process (and container) on one running kernel. */
  bootId: z.string(),
  /** Epoch ms when this holder took the lock. */
  since: z.number(),
  /** Epoch ms of the holder's last renewal, by its own clock. */
  heartbeatAt: z.number(),
  root: z.string(),
  engine: z.string(),
});

export type LeaseRecord = z.infer<typeof leaseRecordSchema>;

export interface Contender {
  pid: number;
  host: string;
  bootId: string;
}

export type LeaseVerdict = { free: true } | { free: false; holder: LeaseRecord; expiresInMs: number };

/** Having taken the flock, may this contender take over? Only a fresh record from another kernel holds it off. */
export function leaseVerdict(record: LeaseRecord | null, contender: Contender, options: { now: number; expiryMs: number }): LeaseVerdict {
  if (record === null) return { free: true };
  if (record.bootId === contender.bootId && record.host === contender.host) return { free: true };
  const ageMs = options.now - record.heartbeatAt;
  if (ageMs >= options.expiryMs) return { free: true };
  return { free: false, holder: record, expiresInMs: options.expiryMs - Math.max(0, ageMs) };
}

/** Is the record still this holder's own (not taken over by another controller while this one stalled)? */
export function isOwnLease(record: LeaseRecord | null, own: LeaseRecord): boolean {
  return record !== null && record.pid === own.pid && record.host === own.host && record.bootId === own.bootId && record.since === own.since;
}

/** "pid 1234 on host web-1 since 2025-01-02T03:04:05.000Z", or what is known when nothing is recorded. */
export function describeHolder(record: LeaseRecord | null): string {
  if (record === null) return 'a process whose pid and host are not recorded (yet)';
  return `pid ${record.pid} on host ${record.host} since ${new Date(record.since).toISOString()}`;
}
