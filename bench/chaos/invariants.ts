import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { EnginePort } from '../../src/engine/engine-port.js';
import { ANONYMOUS_MOUNT, NAMED_MOUNT, ONE_SHOT_LOG, type ChaosService } from './stack.js';
import { containersOf, type WorldSnapshot } from './world.js';

// The checks that need a look inside: volume sentinels (written once by the run, never by the services,
// so an emptied volume cannot write itself a new one), the one-shot's run log, and the audit log. Reads
// inside containers are execs whose exit code is the answer (the engine port keeps no output), several
// at once.

export function sentinelValue(seed: number, service: string, kind: 'named' | 'anonymous'): string {
  return `chaos-${seed}-${service}-${kind}`;
}

export function sentinelPath(kind: 'named' | 'anonymous'): string {
  return `${kind === 'named' ? NAMED_MOUNT : ANONYMOUS_MOUNT}/sentinel`;
}

export function sentinelsOf(service: ChaosService): Array<'named' | 'anonymous'> {
  return [...(service.namedVolume !== null ? (['named'] as const) : []), ...(service.anonymousVolume ? (['anonymous'] as const) : [])];
}

function runningContainer(snapshot: WorldSnapshot, service: string): string | null {
  const running = containersOf(snapshot, service).filter((container) => container.State.Status === 'running');
  return running.length === 1 ? running[0]!.Id : null;
}

function run(engine: EnginePort, containerId: string, script: string, ...args: string[]): Promise<number> {
  return engine
    .execCommand(containerId, { command: ['sh', '-c', script, 'sh', ...args], user: null, privileged: false, workingDir: null, environment: {} })
    .then((result) => result.exitCode);
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function sentinelTargets(services: readonly ChaosService[]): Array<{ service: string; kind: 'named' | 'anonymous'; key: string }> {
  return services.flatMap((service) => sentinelsOf(service).map((kind) => ({ service: service.name, kind, key: `${service.name} ${kind}` })));
}

export async function writeSentinels(engine: EnginePort, snapshot: WorldSnapshot, services: readonly ChaosService[], seed: number, only?: ReadonlySet<string>): Promise<void> {
  const targets = sentinelTargets(services).filter((target) => only === undefined || only.has(target.key));
  await eachLimited(targets, 4, async (target) => {
    const containerId = runningContainer(snapshot, target.service);
    if (containerId === null) throw new Error(`${target.service} is not running: cannot write its ${target.kind} sentinel`);
    const exitCode = await run(engine, containerId, `printf %s "$1" > ${sentinelPath(target.kind)}`, sentinelValue(seed, target.service, target.kind));
    if (exitCode !== 0) throw new Error(`writing the ${target.kind} sentinel of ${target.service} exited ${exitCode}`);
  });
}

/** `service kind` of every sentinel that is not there any more (and of those that could not be read). */
export async function lostSentinels(engine: EnginePort, snapshot: WorldSnapshot, services: readonly ChaosService[], seed: number): Promise<{ lost: string[]; unchecked: string[] }> {
  const lost: string[] = [];
  const unchecked: string[] = [];
  await eachLimited(sentinelTargets(services), 4, async (target) => {
    const containerId = runningContainer(snapshot, target.service);
    if (containerId === null) {
      unchecked.push(target.key);
      return;
    }
    const exitCode = await run(engine, containerId, `test "$(cat ${sentinelPath(target.kind)} 2>/dev/null)" = "$1"`, sentinelValue(seed, target.service, target.kind));
    if (exitCode !== 0) lost.push(target.key);
  });
  return { lost: lost.sort(), unchecked: unchecked.sort() };
}

/** Lines in the one-shot's log (one per run, the exec's exit code), read through the service that mounts
 * it; null if unreadable. */
export async function oneShotRuns(engine: EnginePort, snapshot: WorldSnapshot, reader: string): Promise<number | null> {
  const containerId = runningContainer(snapshot, reader);
  if (containerId === null) return null;
  return run(engine, containerId, `exit $(grep -c . ${ONE_SHOT_LOG})`);
}

/** Lines of the audit log (and its rotated files) that are not whole JSON objects. */
export async function brokenAuditLines(auditLog: string): Promise<number> {
  const prefix = basename(auditLog);
  let names: string[];
  try {
    names = (await readdir(dirname(auditLog))).filter((name) => name === prefix || /^\d+$/.test(name.slice(prefix.length + 1)) && name.startsWith(`${prefix}.`));
  } catch {
    return 0;
  }
  let broken = 0;
  for (const name of names) {
    const text = await readFile(join(dirname(auditLog), name), 'utf8');
    broken += countBrokenLines(text);
  }
  return broken;
}

export function countBrokenLines(text: string): number {
  let broken = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) broken += 1;
    } catch {
      broken += 1;
    }
  }
  return broken;
}
