import { MUTATING_METHODS, type EngineMethod, type EnginePort } from './engine-port.js';

// Wraps an engine port and counts calls and errors per method, so tests and benchmarks can say "a no-op
// reconcile made no mutating call" and metrics can report engine traffic. Counts are sparse: a method
// that was never called is absent.

export interface EngineCall {
  method: EngineMethod;
  mutating: boolean;
  durationMs: number;
  /** Set when the call threw or rejected. */
  error?: unknown;
}

export type EngineCallListener = (call: EngineCall) => void;

export interface CountingEngine {
  engine: EnginePort;
  counts(): Record<string, number>;
  mutatingCalls(): number;
  errors(): Record<string, number>;
  reset(): void;
  /** Called after every call settles; returns a function that removes the listener. */
  onCall(listener: EngineCallListener): () => void;
}

export function countingEngine(engine: EnginePort): CountingEngine {
  let calls: Record<string, number> = {};
  let failures: Record<string, number> = {};
  const listeners = new Set<EngineCallListener>();
  const wrappers = new Map<PropertyKey, unknown>();

  function settle(method: EngineMethod, startedAt: number, error?: unknown): void {
    if (error !== undefined) failures[method] = (failures[method] ?? 0) + 1;
    const call: EngineCall = { method, mutating: MUTATING_METHODS.has(method), durationMs: performance.now() - startedAt };
    if (error !== undefined) call.error = error;
    for (const listener of listeners) listener(call);
  }

  function wrap(method: EngineMethod, original: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
    return (...args: unknown[]) => {
      calls[method] = (calls[method] ?? 0) + 1;
      const startedAt = performance.now();
      let result: unknown;
      try {
        result = original.apply(engine, args);
      } catch (error) {
        settle(method, startedAt, error ?? new Error('undefined thrown'));
        throw error;
      }
      if (!(result instanceof Promise)) {
        settle(method, startedAt);
        return result;
      }
      return result.then(
        (value: unknown) => {
          settle(method, startedAt);
          return value;
        },
        (error: unknown) => {
          settle(method, startedAt, error ?? new Error('undefined rejection'));
          throw error;
        },
      );
    };
  }

  const wrapped = new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      let wrapper = wrappers.get(property);
      if (wrapper === undefined) {
        wrapper = wrap(property as EngineMethod, value as (...args: unknown[]) => unknown);
        wrappers.set(property, wrapper);
      }
      return wrapper;
    },
  });

  return {
    engine: wrapped,
    counts: () => ({ ...calls }),
    mutatingCalls: () =>
      Object.entries(calls).reduce(
        (total, [method, count]) => total + (MUTATING_METHODS.has(method as EngineMethod) ? count : 0),
        0,
      ),
    errors: () => ({ ...failures }),
    reset() {
      calls = {};
      failures = {};
    },
    onCall(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
