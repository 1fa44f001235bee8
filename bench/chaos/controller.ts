import { setTimeout as delay } from 'node:timers/promises';
import type { ProjectStatus } from '../../src/controller/project-status.js';
import { startControllerProcess, type ControllerProcess } from '../controller-process.js';
import { CRASH_POINT_VARIABLE } from '../../src/reconciler/execute/crash-point.js';

// The one controller of a chaos run: started, SIGKILLed and started again (with a crash point armed or
// not), its /status read. Its audit log lives outside the watched root.

export interface ChaosController {
  restart(options: { crashAt: string | null }): Promise<void>;
  /** How the current process ended ('killed by SIGKILL'...), or 'still running' after the timeout. */
  exit(timeoutMs: number): Promise<string>;
  /** The project's status, or null while no controller answers. */
  status(projectName: string): Promise<ProjectStatus | null>;
  stop(): Promise<void>;
  /** The current process's last log lines, for a burst that did not converge. */
  recentLog(): string;
}

export function chaosController(options: {
  cliPath: string;
  root: string;
  resync: string;
  auditLog: string;
  /** DOCKER_HOST for the controller; null: the environment's. */
  dockerHost: string | null;
  signal: AbortSignal;
  log: (line: string) => void;
}): ChaosController {
  let current: ControllerProcess | null = null;
  let crashedBeforeReady = false;
  const start = async (crashAt: string | null) => {
    crashedBeforeReady = false;
    try {
      current = await startControllerProcess({
        cliPath: options.cliPath,
        root: options.root,
        resync: options.resync,
        readyTimeoutMs: 180_000,
        signal: options.signal,
        env: {
          COMPOSELET_AUDIT_LOG: options.auditLog,
          ...(options.dockerHost !== null ? { DOCKER_HOST: options.dockerHost } : {}),
          ...(crashAt !== null ? { [CRASH_POINT_VARIABLE]: crashAt } : {}),
        },
      });
    } catch (error) {
      // An armed crash point can fire in the first reconcile, before the controller is ready.
      if (crashAt === null) throw error;
      crashedBeforeReady = true;
      current = null;
      options.log(`controller with crash point ${crashAt} ended before it was ready`);
    }
  };
  return {
    async restart({ crashAt }) {
      await current?.kill();
      current = null;
      await start(crashAt);
    },
    async exit(timeoutMs) {
      if (current === null) return crashedBeforeReady ? 'killed by its crash point before it was ready' : 'not running';
      const ended = await Promise.race([current.exited, delay(timeoutMs, null, { signal: options.signal })]);
      if (ended === null) return 'still running (the crash point was not reached)';
      return ended.signal !== null ? `killed by ${ended.signal}` : `exited ${ended.code}`;
    },
    async status(projectName) {
      if (current === null || !current.isRunning()) return null;
      try {
        const response = await fetch(`http://${current.metricsAddress}/status`, { signal: AbortSignal.timeout(2_000) });
        if (response.status !== 200) return null;
        const body = (await response.json()) as { projects: ProjectStatus[] };
        return body.projects.find((project) => project.projectName === projectName) ?? null;
      } catch {
        return null;
      }
    },
    recentLog: () => current?.recentLog() ?? '(no controller running)',
    async stop() {
      await current?.stop();
      current = null;
    },
  };
}
