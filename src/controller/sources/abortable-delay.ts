// Waiting that a subscriber's teardown can cut short. Sources take a delay function as an option so
// tests pass one that resolves when the test says; this is the real one.

export type DelayFunction = (delayMs: number, signal: AbortSignal) => Promise<void>;

/** Resolves after `delayMs`; rejects with the signal's reason as soon as the signal aborts. */
export const abortableDelay: DelayFunction = (delayMs, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(handle);
      reject(signal.reason);
    };
    const handle = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal.addEventListener('abort', onAbort, { once: true });
  });
