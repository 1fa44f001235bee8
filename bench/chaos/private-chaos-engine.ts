import { PrivateEngine } from '../private-engine.js';
import type { ChaosOptions } from './suite.js';
import { CHAOS_IMAGE } from './stack.js';

// The chaos run's own engine, for engine-restart faults (`npm run chaos -- --engine private` and the
// engine-restart smoke test): a private dockerd holding a copy of the stack's image, handed to the run as
// its engine, its address and its restart; stopped and removed afterwards, whatever happened.

export type ChaosEngineOptions = Required<Pick<ChaosOptions, 'engine' | 'dockerHost' | 'restartEngine'>>;

export async function onPrivateChaosEngine<T>(log: (line: string) => void, work: (engine: ChaosEngineOptions) => Promise<T>): Promise<T> {
  PrivateEngine.assertPossible('npm run chaos -- --engine private');
  log(`starting a private dockerd and copying ${CHAOS_IMAGE} into it`);
  const privateEngine = await PrivateEngine.create({ images: [CHAOS_IMAGE] });
  log(`private dockerd on ${privateEngine.host} (log: ${privateEngine.logFile})`);
  try {
    return await work({
      engine: privateEngine.port(),
      dockerHost: privateEngine.host,
      restartEngine: async () => {
        await privateEngine.restart().catch((error: unknown) => {
          throw new Error(`the private dockerd did not come back: ${error instanceof Error ? error.message : String(error)}\n${privateEngine.logTail()}`, { cause: error });
        });
      },
    });
  } finally {
    await privateEngine.destroy();
  }
}
