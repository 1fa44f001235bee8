import { z } from 'zod';
import type { ControllerIdentity } from '../lock/controller-identity.js';

// The controller's state file (`<state dir>/controllers/<key>/state.json`): what it must remember across
// restarts, in named sections, under a format name and version. Sections this version does not know (a
// newer composelet's, or reserved ones: `failedRollouts`, `commitInForce`) are kept as they are on every
// rewrite. A file of a newer version is refused rather than overwritten. Pure: parse and render.

export const STATE_FORMAT = 'composelet/controller-state';
export const STATE_VERSION = 1;

const crashLoopSchema = z.object({ restarts: z.number().int().nonnegative(), lastRestartAt: z.number(), nextAllowedAt: z.number() });

const knownSectionsSchema = z.object({
  /** `project/service` -> the crash-loop backoff streak. */
  crashLoops: z.record(z.string(), crashLoopSchema).default({}),
  /** project -> ids of containers the controller updated in place (their limits label is stale). */
  updatedInPlace: z.record(z.string(), z.array(z.string())).default({}),
});

export type RememberedState = z.infer<typeof knownSectionsSchema>;

const fileSchema = z.object({
  format: z.literal(STATE_FORMAT),
  version: z.number().int().positive(),
  sections: z.record(z.string(), z.unknown()),
});

export type ParsedState =
  | { ok: true; remembered: RememberedState; otherSections: Record<string, unknown> }
  | { ok: false; newerVersion: boolean; cause: string };

export function emptyRemembered(): RememberedState {
  return { crashLoops: {}, updatedInPlace: {} };
}

export function parseControllerState(value: unknown): ParsedState {
  const file = fileSchema.safeParse(value);
  if (!file.success) return { ok: false, newerVersion: false, cause: `not a ${STATE_FORMAT} file: ${z.prettifyError(file.error)}` };
  if (file.data.version > STATE_VERSION) {
    return { ok: false, newerVersion: true, cause: `version ${file.data.version} was written by a newer composelet; this one reads version ${STATE_VERSION}` };
  }
  const { crashLoops, updatedInPlace, ...otherSections } = file.data.sections;
  const known = knownSectionsSchema.safeParse({ crashLoops, updatedInPlace });
  if (!known.success) return { ok: false, newerVersion: false, cause: z.prettifyError(known.error) };
  return { ok: true, remembered: known.data, otherSections };
}

/** Canonical text of the remembered sections (sorted), for "has anything changed since the last write". */
export function rememberedFingerprint(remembered: RememberedState): string {
  return JSON.stringify(sortedDeep(remembered));
}

export function renderControllerState(input: {
  identity: ControllerIdentity;
  remembered: RememberedState;
  otherSections: Record<string, unknown>;
  savedAt: number;
}): string {
  const sections = { ...input.otherSections, ...sortedDeep(input.remembered) };
  const file = { format: STATE_FORMAT, version: STATE_VERSION, ...input.identity, savedAt: new Date(input.savedAt).toISOString(), sections };
  return `${JSON.stringify(file, null, 2)}\n`;
}

function sortedDeep<T>(value: T): T {
  if (Array.isArray(value)) return [...value].map(sortedDeep).sort() as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).sort(([left], [right]) => left.localeCompare(right)).map(([key, entry]) => [key, sortedDeep(entry)])) as T;
}
