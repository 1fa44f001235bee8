import { rename } from 'node:fs/promises';
import type { Logger } from 'pino';
import { readJsonFile, writeFileAtomic } from '../../state/atomic-file.js';
import type { ControllerIdentity } from '../lock/controller-identity.js';
import { emptyRemembered, parseControllerState, rememberedFingerprint, renderControllerState, type RememberedState } from './controller-state-file.js';

// The state file on disk: loaded once at start (after the lock is taken), written atomically when what the
// controller remembers changed, at most once per `debounceMs`, and once more when it stops. A reconcile that
// changed nothing writes nothing.

export class StateFileError extends Error {
  readonly kind = 'state-file' as const;
}

export interface StateStore {
  /** What the file held at start. */
  readonly initial: RememberedState;
  /** Called after every reconcile with what the controller remembers now; writes only when it changed. */
  update(remembered: RememberedState): void;
  /** Writes a pending change now and waits for every write. */
  flush(): Promise<void>;
}

export interface StateStoreOptions {
  path: string;
  identity: ControllerIdentity;
  logger: Logger;
  /** Quiet period between a change and its write (default 100 ms: short, since a SIGKILL loses what is not written). */
  debounceMs?: number;
  now?: () => number;
}

export async function openStateStore(options: StateStoreOptions): Promise<StateStore> {
  const { path, logger } = options;
  const now = options.now ?? Date.now;
  let initial = emptyRemembered();
  let otherSections: Record<string, unknown> = {};
  let raw: unknown = null;
  try {
    raw = await readJsonFile<unknown>(path);
  } catch (error) {
    raw = { unreadable: (error as Error).message };
  }
  if (raw !== null) {
    const parsed = parseControllerState(raw);
    if (parsed.ok) {
      initial = parsed.remembered;
      otherSections = parsed.otherSections;
    } else if (parsed.newerVersion) {
      throw new StateFileError(`${path}: ${parsed.cause}; start the newer composelet, or move the file away to start afresh`);
    } else {
      // A file written atomically is whole; one that does not parse was edited by hand. Kept for a human.
      const aside = `${path}.unreadable-${now()}`;
      await rename(path, aside);
      logger.error({ path, movedTo: aside }, `the controller state file could not be read (${parsed.cause}); starting with no crash-loop memory`);
    }
  }
  logger.info({ path, crashLoops: Object.keys(initial.crashLoops).length }, 'controller state loaded');

  let written = rememberedFingerprint(initial);
  let pending: RememberedState | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing = Promise.resolve();
  const write = () => {
    timer = undefined;
    const remembered = pending;
    pending = null;
    if (remembered === null) return writing;
    writing = writing.then(async () => {
      const fingerprint = rememberedFingerprint(remembered);
      if (fingerprint === written) return;
      try {
        await writeFileAtomic(path, renderControllerState({ identity: options.identity, remembered, otherSections, savedAt: now() }));
        written = fingerprint;
      } catch (error) {
        logger.error({ path, error: (error as Error).message }, 'could not write the controller state file; retrying on the next change');
      }
    });
    return writing;
  };
  return {
    initial,
    update(remembered) {
      if (rememberedFingerprint(remembered) === written && timer === undefined) return;
      pending = remembered;
      timer ??= setTimeout(write, options.debounceMs ?? 100);
    },
    async flush() {
      clearTimeout(timer);
      await write();
    },
  };
}
