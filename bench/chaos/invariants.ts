import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { docker } from './docker-cli.js';
import { ANONYMOUS_MOUNT, NAMED_MOUNT, ONE_SHOT_LOG, type ChaosService } from './stack.js';
import { containersOf, type WorldSnapshot } from './world.js';

// The checks that need a look inside: volume sentinels (written once by the run, never by the services,
// so an emptied volume cannot write itself a new one), the one-shot's run log, and the audit log.

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

export async function writeSentinels(snapshot: WorldSnapshot, services: readonly ChaosService[], seed: number, only?: ReadonlySet<string>): Promise<void> {
  for (const service of services) {
    for (const kind of sentinelsOf(service)) {
      if (only !== undefined && !only.has(`${service.name} ${kind}`)) continue;
      const containerId = runningContainer(snapshot, service.name);
      if (containerId === null) throw new Error(`${service.name} is not running: cannot write its ${kind} sentinel`);
      await docker(['exec', containerId, 'sh', '-c', `printf %s "$1" > ${sentinelPath(kind)}`, 'sh', sentinelValue(seed, service.name, kind)]);
    }
  }
}

/** `service kind` of every sentinel that is not there any more (and of containers that could not be read). */
export async function lostSentinels(snapshot: WorldSnapshot, services: readonly ChaosService[], seed: number): Promise<{ lost: string[]; unchecked: string[] }> {
  const lost: string[] = [];
  const unchecked: string[] = [];
  for (const service of services) {
    for (const kind of sentinelsOf(service)) {
      const containerId = runningContainer(snapshot, service.name);
      if (containerId === null) {
        unchecked.push(`${service.name} ${kind}`);
        continue;
      }
      const content = await docker(['exec', containerId, 'sh', '-c', `cat ${sentinelPath(kind)} 2>/dev/null || true`]);
      if (content !== sentinelValue(seed, service.name, kind)) lost.push(`${service.name} ${kind}`);
    }
  }
  return { lost, unchecked };
}

/** Lines in the one-shot's log (one per run), read through the service that mounts it; null if unreadable. */
export async function oneShotRuns(snapshot: WorldSnapshot, reader: string): Promise<number | null> {
  const containerId = runningContainer(snapshot, reader);
  if (containerId === null) return null;
  const content = await docker(['exec', containerId, 'cat', ONE_SHOT_LOG]);
  return content.split('\n').filter((line) => line.trim() !== '').length;
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
