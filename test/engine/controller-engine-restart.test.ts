import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import type { EnginePort } from '../../src/engine/engine-port.js';
import {
  killAllControllers,
  manifestsRoot,
  metricValue,
  printLogsIfFailed,
  startControllerProcess,
  waitUntilConverged,
  type ControllerProcess,
} from '../support/controller-process.js';
import { TEST_IMAGE, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';

// An engine restart survived by `composelet run`. Restarting the engine everybody shares would break
// whatever else runs on it, so this test starts an engine of its own (dockerd on its own socket, data
// root and address pool, no iptables, no default bridge), points the controller at it through
// DOCKER_HOST, and restarts that one: SIGTERM to the dockerd this test started, then a new dockerd on the
// same data root. It needs root and a local dockerd; without them it fails, it does not skip.

const execFileAsync = promisify(execFile);
const projectName = uniqueProjectName('ctl-engine');

class PrivateEngine {
  readonly directory = mkdtempSync(join(tmpdir(), 'composelet-engine-'));
  readonly host = `unix://${join(this.directory, 'docker.sock')}`;
  readonly logFile = join(this.directory, 'dockerd.log');
  private daemon: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  static assertPossible(): void {
    if (process.getuid?.() !== 0) throw new Error('the engine restart test starts its own dockerd and must run as root');
  }

  /** The data root as a shared mount of its own, made once for both daemons. dockerd would otherwise
   * bind-mount it at every start and unmount it at every exit, and a container the controller starts
   * while the engine shuts down would leave its root file system mounted underneath, out of reach. */
  async prepare(): Promise<void> {
    const data = join(this.directory, 'data');
    mkdirSync(data);
    await execFileAsync('mount', ['--bind', data, data]);
    await execFileAsync('mount', ['--make-shared', data]);
  }

  async start(): Promise<void> {
    const log = openSync(this.logFile, 'a');
    // In a network namespace of its own: a dockerd started with `--bridge none` deletes the host's docker0
    // interface on start (libnetwork's removeDefaultBridgeInterface), which would break the shared engine.
    // unshare execs dockerd, so the pid is still the daemon's.
    const daemon = spawn(
      'unshare',
      [
        '--net',
        '--',
        'dockerd',
        '--host', this.host,
        '--data-root', join(this.directory, 'data'),
        '--exec-root', join(this.directory, 'exec'),
        '--pidfile', join(this.directory, 'docker.pid'),
        '--bridge', 'none',
        '--iptables=false',
        '--ip-masq=false',
        '--default-address-pool', 'base=10.231.0.0/16,size=24',
      ],
      { detached: true, stdio: ['ignore', log, log] },
    );
    closeSync(log);
    this.daemon = daemon;
    this.exited = new Promise((resolve) => daemon.once('exit', () => resolve()));
    const spawnError = new Promise<never>((_, reject) => daemon.once('error', (error) => reject(new Error(`cannot start dockerd: ${error.message}`))));
    await Promise.race([
      spawnError,
      eventually(() => this.docker('version', '--format', '{{.Server.Version}}'), {
        timeoutMs: 30_000,
        intervalMs: 200,
        message: `the test's own dockerd answering (log: ${this.logFile})`,
      }),
    ]);
  }

  /** SIGTERM to the dockerd this test started, and wait until it has exited. */
  async stop(): Promise<void> {
    const daemon = this.daemon;
    if (!daemon || daemon.exitCode !== null || daemon.signalCode !== null) return;
    daemon.kill('SIGTERM');
    const timer = setTimeout(() => daemon.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }

  docker(...args: string[]): Promise<string> {
    return execFileAsync('docker', ['--host', this.host, ...args]).then(({ stdout }) => stdout);
  }

  port(): EnginePort {
    return createDockerEngine({ dockerHost: this.host });
  }

  /** Copies the test image from the shared engine (no registry here). */
  async loadTestImage(): Promise<void> {
    await execFileAsync('sh', ['-c', `docker save ${TEST_IMAGE} | docker --host ${this.host} load`]);
  }

  /** Stops the daemon, unmounts what is left under the directory (deepest first) and removes it. */
  async destroy(): Promise<void> {
    await this.stop();
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[4] ?? '')
      .filter((mountPoint) => mountPoint.startsWith(`${this.directory}/`))
      .sort((left, right) => right.length - left.length);
    for (const mountPoint of mounts) await execFileAsync('umount', [mountPoint]).catch(() => execFileAsync('umount', ['--lazy', mountPoint]));
    rmSync(this.directory, { recursive: true, force: true });
  }

  logTail(): string {
    return readFileSync(this.logFile, 'utf8').split('\n').slice(-20).join('\n');
  }
}

describe('composelet run through an engine restart', () => {
  let engine: PrivateEngine | undefined;
  let controller: ControllerProcess | undefined;

  beforeAll(async () => {
    PrivateEngine.assertPossible();
    engine = new PrivateEngine();
    await engine.prepare();
    await engine.start();
    await engine.loadTestImage();
    controller = await startControllerProcess({
      root: manifestsRoot({ [projectName]: 'controller-engine-restart' }),
      resync: '60s',
      env: { DOCKER_HOST: engine.host },
    });
    await waitUntilConverged(controller, projectName);
  });
  afterEach((context) => {
    printLogsIfFailed(context, [controller]);
    if (context.task.result?.state === 'fail' && engine) console.error(`--- the test's dockerd ---\n${engine.logTail()}`);
  });
  afterAll(async () => {
    await killAllControllers();
    // Everything of this test lives in its own engine: stopping it and removing its data root is the cleanup.
    await engine?.destroy();
  });

  it('the controller must stay up while the engine restarts, then bring back what the restart stopped', async () => {
    const port = engine!.port();
    const before = await port.inspectContainer(`${projectName}-app-1`);
    expect(before.State.Running).toBe(true);

    await engine!.stop();
    await eventually(async () => expect((await controller!.get('/readyz')).status).toBe(503), {
      message: '/readyz 503 while the engine is away',
    });
    expect((await controller!.get('/healthz')).status).toBe(200);
    expect(controller!.logs().map((line) => line.msg)).toContain('engine events stream lost; reconnecting');
    const engineBackAt = Date.now();
    await engine!.start();

    // The engine stopped app on shutdown and did not start it again (no restart policy): composelet does.
    const after = await eventually(
      async () => {
        const app = await port.inspectContainer(`${projectName}-app-1`);
        expect(app.State.Running).toBe(true);
        expect(Date.parse(app.State.StartedAt)).toBeGreaterThan(engineBackAt);
        return app;
      },
      { timeoutMs: 30_000, message: 'app running again after the engine restart' },
    );
    expect(after.Id, 'started again, not recreated').toBe(before.Id);
    expect((await port.inspectContainer(`${projectName}-web-1`)).State.Running).toBe(true);
    expect(controller!.isRunning()).toBe(true);
    expect(controller!.logs().map((line) => line.msg)).toContain('engine reachable again: relisting every project');
    await eventually(async () => expect((await controller!.get('/readyz')).status).toBe(200), { message: '/readyz 200 again' });
    expect(metricValue(await controller!.metrics(), 'composelet_engine_connected')).toBe(1);
  });
});
