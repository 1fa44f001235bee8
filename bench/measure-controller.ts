import { setTimeout as delay } from 'node:timers/promises';
import type { EnginePort } from '../src/engine/engine-port.js';
import type { Cleanup } from './cleanup.js';
import { startControllerProcess } from './controller-process.js';
import { phase, type Phase } from './measure-converge.js';
import { measureFootprint, type FootprintSamples } from './measure-footprint.js';
import { measureHeal, type HealResult } from './measure-heal.js';
import type { StackDefinition } from './stack-documents.js';
import type { ToolDriver } from './tool-driver.js';

// `composelet run` as a child process on a converged stack: its idle footprint first, then heal times.
// The process is stopped afterwards, and by the run's cleanup if anything fails or is interrupted.

export interface ControllerMeasurements {
  footprint: Phase<FootprintSamples> | null;
  heal: Phase<HealResult> | null;
}

export async function measureController(options: {
  engine: EnginePort;
  cliPath: string;
  driver: ToolDriver;
  stack: StackDefinition;
  /** null: not measured on this stack. */
  footprint: { durationMs: number } | null;
  heal: { faults: number } | null;
  readyTimeoutMs: number;
  cleanup: Cleanup;
  signal: AbortSignal;
  log: (line: string) => void;
}): Promise<ControllerMeasurements> {
  const { driver, stack, signal, log } = options;
  log(`${stack.label} composelet: starting the controller`);
  const controller = await phase(signal, () =>
    startControllerProcess({ cliPath: options.cliPath, root: driver.directory.path, resync: '60s', readyTimeoutMs: options.readyTimeoutMs, signal }),
  );
  if (!controller.ok) {
    const failedStart: Phase<never> = { ok: false, error: `composelet run did not start: ${controller.error}` };
    return { footprint: options.footprint ? failedStart : null, heal: options.heal ? failedStart : null };
  }
  const stop = options.cleanup.defer('stop composelet run', () => controller.value.stop());
  try {
    let footprint: Phase<FootprintSamples> | null = null;
    if (options.footprint) {
      const { durationMs } = options.footprint;
      // Ready means the first reconcile is done; give its after-effects a moment before calling it idle.
      await delay(2_000, undefined, { signal });
      log(`${stack.label} composelet: idle footprint over ${durationMs / 1000} s`);
      footprint = await phase(signal, () => measureFootprint(controller.value.pid, { durationMs, signal }));
    }
    let heal: Phase<HealResult> | null = null;
    if (options.heal) {
      const { faults } = options.heal;
      log(`${stack.label} composelet: heal, ${faults} faults`);
      heal = await phase(signal, () =>
        measureHeal({
          engine: options.engine,
          projectName: driver.projectName,
          services: Object.keys(stack.document.services).sort(),
          faults,
          expectedContainers: stack.containers,
          timeoutMs: 30_000,
          signal,
          log,
        }),
      );
    }
    return { footprint, heal };
  } finally {
    await stop();
  }
}
