import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

// A process's footprint while idle, from /proc: resident memory (VmRSS) sampled once a second, and CPU
// (utime + stime, in clock ticks) per second and over the whole window.

export interface FootprintSamples {
  rssMiB: number[];
  /** CPU use per one-second interval, in percent of one core. */
  cpuPercent: number[];
  /** CPU use over the whole window, in percent of one core. */
  averageCpuPercent: number;
  durationMs: number;
}

export function clockTicksPerSecond(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

export function residentMiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) / 1024;
}

/** utime + stime of the process, in clock ticks. The command name may hold spaces and parentheses, so
 * fields are counted after its closing parenthesis. */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return Number(fields[11]) + Number(fields[12]);
}

export async function measureFootprint(pid: number, options: { durationMs: number; signal: AbortSignal }): Promise<FootprintSamples> {
  const ticksPerSecond = clockTicksPerSecond();
  const rssMiB: number[] = [residentMiB(pid)];
  const cpuPercent: number[] = [];
  const startedAt = performance.now();
  const startTicks = cpuTicks(pid);
  let previousTicks = startTicks;
  let previousAt = startedAt;
  // Intervals shorter than 200 ms would give a per-interval CPU figure of only a tick or two: stop instead.
  while (options.durationMs - (performance.now() - startedAt) >= 200) {
    await delay(Math.min(1_000, options.durationMs - (performance.now() - startedAt)), undefined, { signal: options.signal });
    const now = performance.now();
    const ticks = cpuTicks(pid);
    rssMiB.push(residentMiB(pid));
    cpuPercent.push(((ticks - previousTicks) / ticksPerSecond / ((now - previousAt) / 1000)) * 100);
    previousTicks = ticks;
    previousAt = now;
  }
  const durationMs = performance.now() - startedAt;
  return { rssMiB, cpuPercent, averageCpuPercent: ((previousTicks - startTicks) / ticksPerSecond / (durationMs / 1000)) * 100, durationMs };
}
