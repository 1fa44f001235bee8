import { cpus, release, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import type { EnginePort } from '../src/engine/engine-port.js';
import { legacyComposeVersion } from './legacy-compose.js';
import type { Machine } from './report-model.js';

// The machine a run measured, printed with its table: figures mean little without it.

export async function describeMachine(engine: EnginePort): Promise<Machine> {
  const [version, running, dockerComposeVersion] = await Promise.all([
    engine.version(),
    engine.listContainers({}),
    legacyComposeVersion().catch((error: unknown) => `unavailable (${error instanceof Error ? error.message : String(error)})`),
  ]);
  return {
    processors: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    kernel: release(),
    engineVersion: version.Version,
    engineApiVersion: version.ApiVersion,
    nodeVersion: process.version,
    dockerComposeVersion,
    otherContainersRunning: running.length,
  };
}

/** MemAvailable from /proc/meminfo, in GiB (total memory where /proc is not there). */
export function availableMemoryGiB(): number {
  try {
    const match = /^MemAvailable:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    if (match) return Number(match[1]) / 1024 ** 2;
  } catch {
    // Not Linux: fall through.
  }
  return totalmem() / 1024 ** 3;
}
