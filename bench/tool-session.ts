import type { EnginePort } from '../src/engine/engine-port.js';
import type { Cleanup } from './cleanup.js';
import { sweepProject } from './engine-state.js';
import { freePorts } from './free-ports.js';
import { phase } from './measure-converge.js';
import { createStackDirectory, type StackDirectory } from './stack-directory.js';
import { publishedPortCount, withHostPorts, type ComposeDocument, type StackDefinition } from './stack-documents.js';
import type { ToolDriver } from './tool-driver.js';

// One tool's turn on one stack: its own directory and project name, the stack with free host ports, the
// measurements, then the tool's own teardown and a forced sweep. The sweep and the directory's removal
// are registered with the run's cleanup first, so they also happen on failure or interruption.

export interface ToolSession {
  run<T>(measure: (driver: ToolDriver, document: ComposeDocument) => Promise<T>): Promise<{ result: T; notes: string[] }>;
}

export async function openToolSession(options: {
  stack: StackDefinition;
  projectName: string;
  engine: EnginePort;
  cleanup: Cleanup;
  signal: AbortSignal;
  log: (line: string) => void;
  makeDriver: (projectName: string, directory: StackDirectory) => ToolDriver;
}): Promise<ToolSession> {
  const { stack, projectName, engine, cleanup } = options;
  const directory = createStackDirectory(stack, 'composelet-bench');
  const removeDirectory = cleanup.defer(`remove ${directory.path}`, () => directory.remove());
  const sweep = cleanup.defer(`remove project ${projectName}`, async () => {
    const stuck = await sweepProject(engine, projectName);
    if (stuck.length > 0) throw new Error(`the engine would not remove ${stuck.join(', ')} (stale endpoints; a dockerd restart clears them)`);
  });
  const driver = options.makeDriver(projectName, directory);
  const document = withHostPorts(stack.document, await freePorts(publishedPortCount(stack.document)));
  return {
    async run(measure) {
      const notes: string[] = [];
      const tidy = async () => {
        // What is left after the tool's own down is removed by force; a failure there is reported, and
        // must not throw away what was measured.
        for (const action of [sweep, removeDirectory]) {
          try {
            await action();
          } catch (error) {
            notes.push(`${stack.label} ${driver.tool}: cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      };
      try {
        const result = await measure(driver, document);
        options.log(`${stack.label} ${driver.tool}: down`);
        const down = await phase(options.signal, () => driver.down());
        if (!down.ok) notes.push(`${stack.label} ${driver.tool}: down failed (${down.error}); removed by force instead`);
        await tidy();
        return { result, notes };
      } catch (error) {
        await tidy();
        throw error;
      }
    },
  };
}
