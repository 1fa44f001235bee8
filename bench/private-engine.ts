import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createDockerEngine } from '../src/engine/docker-engine.js';
import type { EnginePort } from '../src/engine/engine-port.js';

// A Docker engine of one's own, for what must never happen to the engine everybody shares: a restart.
// dockerd on its own socket, data root, exec root and pidfile, no iptables, no default bridge, inside a
// network namespace of its own; stopped with SIGTERM and started again on the same data root. Used by the
// engine-restart test and by `npm run chaos -- --engine private`. It needs root and a local dockerd.

const execFileAsync = promisify(execFile);

export class PrivateEngine {
  readonly directory = mkdtempSync(join(tmpdir(), 'composelet-engine-'));
  readonly host = `unix://${join(this.directory, 'docker.sock')}`;
  readonly logFile = join(this.directory, 'dockerd.log');
  private daemon: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  static assertPossible(what: string): void {
    if (process.getuid?.() !== 0) throw new Error(`${what} starts a dockerd of its own and must run as root`);
  }

  /** A started engine (the data root prepared) holding copies of the images from the main engine. */
  static async create(options: { images: readonly string[] }): Promise<PrivateEngine> {
    const engine = new PrivateEngine();
    try {
      await engine.prepare();
      await engine.start();
      await engine.loadImages(options.images);
      return engine;
    } catch (error) {
      await engine.destroy().catch(() => undefined);
      throw error;
    }
  }

  /** The data root as a shared mount of its own, made once for every daemon on it. dockerd would otherwise
   * bind-mount it at every start and unmount it at every exit, and a container started while the engine
   * shuts down would leave its root file system mounted underneath, out of reach. */
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
    let spawnError: Error | null = null;
    daemon.once('error', (error) => (spawnError = new Error(`cannot start dockerd: ${error.message}`)));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (spawnError !== null) throw spawnError;
      if (daemon.exitCode !== null || daemon.signalCode !== null) throw new Error(`the private dockerd exited on start:\n${this.logTail()}`);
      if (await this.docker('version', '--format', '{{.Server.Version}}').then(() => true, () => false)) return;
      if (Date.now() > deadline) throw new Error(`the private dockerd did not answer within 30 s (log: ${this.logFile})`);
      await delay(200);
    }
  }

  /** SIGTERM to the dockerd, and wait until it has exited (SIGKILL after 30 s). */
  async stop(): Promise<void> {
    const daemon = this.daemon;
    if (!daemon || daemon.exitCode !== null || daemon.signalCode !== null) return;
    daemon.kill('SIGTERM');
    const timer = setTimeout(() => daemon.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGTERM, then a new dockerd on the same data root. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  docker(...args: string[]): Promise<string> {
    return execFileAsync('docker', ['--host', this.host, ...args]).then(({ stdout }) => stdout);
  }

  port(): EnginePort {
    return createDockerEngine({ dockerHost: this.host });
  }

  /** Copies images from the main engine (no registry here). */
  async loadImages(images: readonly string[]): Promise<void> {
    for (const image of images) {
      await execFileAsync('sh', ['-c', 'docker save "$1" | docker --host "$2" load', 'sh', image, this.host]);
    }
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
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
