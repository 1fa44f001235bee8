import { join } from 'node:path';
import type { Logger } from 'pino';
import { readJsonFile, writeFileAtomic } from '../../state/atomic-file.js';
import { StaleTaskTracker } from './stale-tasks.js';

// The containers the engine refused to start after its restart (stale-tasks.ts), kept per project in
// `<state-dir>/stale-tasks/<project>.json` (atomic write, owner-only), so a restarted controller recreates
// them at once instead of trying the start again. A record that cannot be read or written is reported and
// the controller goes on with what it has in memory: at worst it costs one more refused start.

interface StaleTaskRecordFile {
  version: 1;
  containers: string[];
}

const CONTAINER_ID = /^[0-9a-f]{64}$/;

export function staleTaskRecordPath(stateDir: string, projectName: string): string {
  return join(stateDir, 'stale-tasks', `${projectName}.json`);
}

export class StaleTaskRecord extends StaleTaskTracker {
  private saved: string;

  constructor(
    private readonly path: string,
    private readonly logger: Logger,
    containerIds: readonly string[],
  ) {
    super(containerIds);
    this.saved = JSON.stringify(this.containerIds());
  }

  /** Writes the record when it changed since it was read or last written (a first empty one is not written). */
  async save(): Promise<void> {
    const containers = this.containerIds();
    const text = JSON.stringify(containers);
    if (text === this.saved) return;
    const file: StaleTaskRecordFile = { version: 1, containers };
    try {
      await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
      this.saved = text;
    } catch (error) {
      this.logger.warn({ path: this.path }, `could not write ${this.path} (${(error as Error).message}): refused starts are remembered in memory only`);
    }
  }
}

export async function loadStaleTasks(options: { stateDir: string; projectName: string; logger: Logger }): Promise<StaleTaskRecord> {
  const path = staleTaskRecordPath(options.stateDir, options.projectName);
  let containers: string[] = [];
  try {
    containers = parseRecord(await readJsonFile<unknown>(path));
  } catch (error) {
    const cause = (error as Error).message;
    // Replaced on the next change.
    options.logger.warn({ path }, `${cause.startsWith(path) ? cause : `${path}: ${cause}`}; starting with no refused starts remembered`);
  }
  return new StaleTaskRecord(path, options.logger, containers);
}

function parseRecord(value: unknown): string[] {
  if (value === null) return [];
  const file = value as Partial<StaleTaskRecordFile>;
  if (typeof value !== 'object' || file.version !== 1 || !Array.isArray(file.containers)) throw new Error('not a stale-task record (version 1 expected)');
  const bad = file.containers.find((id) => typeof id !== 'string' || !CONTAINER_ID.test(id));
  if (bad !== undefined) throw new Error(`not a container id: ${JSON.stringify(bad)}`);
  return file.containers as string[];
}
