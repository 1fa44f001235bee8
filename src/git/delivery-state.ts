import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../state/atomic-file.js';
import type { SpecHashes } from './commit-changes.js';

// What git delivery remembers across restarts (`<state-dir>/git/delivery.json`, written atomically):
// the commits quarantined and why, and the last good commit before the current one (kept on disk as the
// fallback), and what the commit in force changed. A quarantined commit is never checked out or applied again; only a newer commit is tried.

const quarantinedSchema = z.object({ reason: z.string(), at: z.string() });
const hashesSchema = z.record(z.string(), z.record(z.string(), z.string()));
const inForceSchema = z.object({ commit: z.string(), specHashes: hashesSchema, changed: hashesSchema });
const fileSchema = z.object({
  format: z.literal('composelet/git-delivery'),
  version: z.literal(1),
  previousGood: z.string().nullable().default(null),
  quarantined: z.record(z.string(), quarantinedSchema).default({}),
  inForce: inForceSchema.nullable().default(null),
});

export interface QuarantinedCommit {
  commit: string;
  reason: string;
  /** ISO 8601. */
  at: string;
}

/** The commit in force, its services' spec hashes and the ones it changed (what a failed rollout blames). */
export interface CommitInForce {
  commit: string;
  specHashes: SpecHashes;
  changed: SpecHashes;
}

export interface DeliveryState {
  previousGood: string | null;
  quarantined: Record<string, { reason: string; at: string }>;
  /** null: not known (a state file from before it was kept; nothing is blamed until the next commit). */
  inForce: CommitInForce | null;
}

/** At most this many quarantined commits are remembered (the oldest are forgotten). */
export const QUARANTINE_LIMIT = 50;

export async function readDeliveryState(path: string): Promise<DeliveryState> {
  const raw = await readJsonFile<unknown>(path);
  if (raw === null) return { previousGood: null, quarantined: {}, inForce: null };
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path}: not a composelet git delivery state file: ${z.prettifyError(parsed.error)}`);
  return { previousGood: parsed.data.previousGood, quarantined: parsed.data.quarantined, inForce: parsed.data.inForce };
}

export async function writeDeliveryState(path: string, state: DeliveryState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify({ format: 'composelet/git-delivery', version: 1, ...state }, null, 2)}\n`);
}

/** The state with `commit` quarantined (the first reason is kept), trimmed to QUARANTINE_LIMIT entries. */
export function withQuarantined(state: DeliveryState, entry: QuarantinedCommit): DeliveryState {
  if (state.quarantined[entry.commit]) return state;
  const entries = [...Object.entries(state.quarantined), [entry.commit, { reason: entry.reason, at: entry.at }] as const]
    .sort(([, left], [, right]) => left.at.localeCompare(right.at))
    .slice(-QUARANTINE_LIMIT);
  return { ...state, quarantined: Object.fromEntries(entries) };
}

export function quarantinedList(state: DeliveryState): QuarantinedCommit[] {
  return Object.entries(state.quarantined)
    .map(([commit, entry]) => ({ commit, ...entry }))
    .sort((left, right) => right.at.localeCompare(left.at));
}
