// What a run must undo whatever happens (projects, controller processes, the proxy, temporary
// directories), undone last-in first-out. Each action runs once; a failing one does not stop the rest.

export interface Cleanup {
  /** Registers an action; the returned function runs it now (once) and unregisters it. */
  defer(what: string, action: () => Promise<void> | void): () => Promise<void>;
  /** Runs every action still registered; returns the failures. */
  runAll(): Promise<string[]>;
}

export function createCleanup(log: (line: string) => void): Cleanup {
  const actions: Array<{ what: string; action: () => Promise<void> | void }> = [];
  const runOne = async (entry: { what: string; action: () => Promise<void> | void }): Promise<string | null> => {
    const index = actions.indexOf(entry);
    if (index < 0) return null;
    actions.splice(index, 1);
    try {
      await entry.action();
      return null;
    } catch (error) {
      const failure = `${entry.what}: ${error instanceof Error ? error.message : String(error)}`;
      log(`cleanup failed: ${failure}`);
      return failure;
    }
  };
  return {
    defer(what, action) {
      const entry = { what, action };
      actions.push(entry);
      return async () => {
        const failure = await runOne(entry);
        if (failure !== null) throw new Error(failure);
      };
    },
    async runAll() {
      const failures: string[] = [];
      while (actions.length > 0) {
        const failure = await runOne(actions.at(-1)!);
        if (failure !== null) failures.push(failure);
      }
      return failures;
    },
  };
}
