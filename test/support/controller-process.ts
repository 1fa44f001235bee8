import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProjectStatus } from '../../src/controller/project-status.js';
import { expect } from 'vitest';
import { eventually } from './eventually.js';

// `composelet run` as the operator runs it: the built CLI in a child process, metrics on a port the kernel
// picks (read back from the 'controller started' log line), JSON logs captured line by line, stopped with
// SIGTERM or SIGKILL. Scenarios talk to it only as an operator would: files, signals, HTTP and the engine.

const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(REPOSITORY, 'dist/cli/main.js');

/** One pino line of the controller's stderr (or `{ msg: <raw text> }` for a line that is not JSON). */
export interface LogLine {
  level?: number;
  time?: number;
  msg: string;
  [field: string]: unknown;
}

export interface ControllerStatusReport {
  engineConnected: boolean;
  projects: ProjectStatus[];
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Epoch ms. */
  at: number;
}

export interface ControllerProcess {
  pid: number;
  /** `127.0.0.1:<port>`, as the controller logged it. */
  metricsAddress: string;
  /** Epoch ms of the 'controller started' log line. */
  startedAt: number;
  logs(): LogLine[];
  /** The last lines of stderr, for failure messages. */
  logTail(lines?: number): string;
  get(path: string): Promise<{ status: number; body: string }>;
  status(): Promise<ControllerStatusReport>;
  projectStatus(projectName: string): Promise<ProjectStatus>;
  metrics(): Promise<string>;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<ProcessExit>;
  isRunning(): boolean;
  /** SIGTERM; SIGKILL if it is still there after `timeoutMs` (default 10 s). */
  terminate(options?: { timeoutMs?: number }): Promise<ProcessExit>;
  /** SIGKILL, the way a crash or the OOM killer ends it. */
  kill(): Promise<ProcessExit>;
}

export interface ControllerProcessOptions {
  /** MANIFESTS_ROOT; with `rootArgument: false` only the base of the audit log and state dir paths (run --git). */
  root: string;
  rootArgument?: boolean;
  /** `--resync`; 60s unless given, so that events (not the resync) must drive what a test sees. */
  resync?: string;
  /** Extra environment (DOCKER_HOST for another engine). */
  env?: Record<string, string | undefined>;
  extraArgs?: string[];
  startTimeoutMs?: number;
}

const running = new Set<SpawnedController>();

interface SpawnedController {
  child: ReturnType<typeof spawn>;
  lines: LogLine[];
  exited: Promise<ProcessExit>;
  exit(): ProcessExit | null;
  logTail(lines?: number): string;
  /** The first log line with this message; rejects (with the output) when the process exits first. */
  logged(message: string, timeoutMs: number): Promise<LogLine>;
  stopWith(signal: NodeJS.Signals, timeoutMs: number): Promise<ProcessExit>;
}

function spawnController(options: ControllerProcessOptions): SpawnedController {
  assertBuildIsFresh();
  const args = [
    CLI,
    'run',
    ...(options.rootArgument === false ? [] : [options.root]),
    '--metrics-address',
    '127.0.0.1:0',
    '--resync',
    options.resync ?? '60s',
    '--log-format',
    'json',
    '--log-level',
    'debug',
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPOSITORY,
    env: {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      DOCKER_HOST: process.env['DOCKER_HOST'],
      // Never the operator's audit log nor state dir: the controller's own, beside its manifests, unless a test sets them.
      COMPOSELET_AUDIT_LOG: `${options.root.replace(/\/+$/, '')}.audit.log`,
      // Nor the operator's state directory: the controller's own beside its manifests.
      COMPOSELET_STATE_DIR: `${options.root.replace(/\/+$/, '')}.state`,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let stderr = '';
  let partial = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const pieces = (partial + chunk).split('\n');
    partial = pieces.pop() ?? '';
    for (const piece of pieces) if (piece.trim() !== '') lines.push(parseLine(piece));
  });
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  let exit: ProcessExit | null = null;
  void exited.then((value) => (exit = value));
  const logTail = (count = 40) => (stderr + partial).split('\n').slice(-count).join('\n');
  const spawned: SpawnedController = {
    child,
    lines,
    exited,
    exit: () => exit,
    logTail,
    logged: (message, timeoutMs) =>
      Promise.race([
        eventually(
          () => {
            const line = lines.find((candidate) => candidate.msg === message);
            if (!line) throw new Error(`no "${message}" log line yet`);
            return line;
          },
          { timeoutMs, intervalMs: 50, message: `the controller logging "${message}"` },
        ),
        exited.then((value) => {
          throw new Error(`the controller exited (${value.code ?? value.signal}) before it logged "${message}":\n${logTail()}`);
        }),
      ]),
    async stopWith(signal, timeoutMs) {
      if (exit === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
        running.delete(spawned);
      }
    },
  };
  running.add(spawned);
  return spawned;
}

/** How long a controller may take to log 'controller started': a start reads the world and takes the lock,
 * seconds on a quiet machine, and the first thing to break at load 20+ on two cores when it was 15 s. */
const START_TIMEOUT_MS = 45_000;

/** Starts `composelet run ROOT` and resolves once it logged 'controller started' (it rejects, with the
 * controller's output, when the process exits first). */
export async function startControllerProcess(options: ControllerProcessOptions): Promise<ControllerProcess> {
  const spawned = spawnController(options);
  const started = await spawned.logged('controller started', options.startTimeoutMs ?? START_TIMEOUT_MS).catch((error: unknown) => {
    spawned.child.kill('SIGKILL');
    throw error;
  });
  return controllerHandle(spawned, started);
}

/** A controller started with --standby while another runs: resolves once it logged that it stands by;
 * `takenOver()` resolves once it logged 'controller started' (after the first one ended). */
export async function startStandbyControllerProcess(options: ControllerProcessOptions): Promise<{
  pid: number;
  logs(): LogLine[];
  logTail(lines?: number): string;
  exited: Promise<ProcessExit>;
  kill(): Promise<ProcessExit>;
  takenOver(options: { timeoutMs: number }): Promise<ControllerProcess>;
}> {
  const spawned = spawnController({ ...options, extraArgs: [...(options.extraArgs ?? []), '--standby'] });
  await eventually(
    () => {
      if (spawned.exit() !== null) throw new Error(`the standby exited:\n${spawned.logTail()}`);
      if (!spawned.lines.some((line) => line.msg.startsWith('standing by: '))) throw new Error('no "standing by" log line yet');
    },
    { timeoutMs: options.startTimeoutMs ?? 15_000, intervalMs: 50, message: 'the standby controller standing by' },
  ).catch((error: unknown) => {
    spawned.child.kill('SIGKILL');
    throw error;
  });
  return {
    pid: spawned.child.pid!,
    logs: () => [...spawned.lines],
    logTail: spawned.logTail,
    exited: spawned.exited,
    kill: () => spawned.stopWith('SIGKILL', 5_000),
    takenOver: async ({ timeoutMs }) => controllerHandle(spawned, await spawned.logged('controller started', timeoutMs)),
  };
}

/** Runs `composelet run ROOT` that is expected to end by itself (refused), and returns how, with its output. */
export async function runControllerToExit(options: ControllerProcessOptions & { timeoutMs?: number }): Promise<ProcessExit & { output: string }> {
  const spawned = spawnController(options);
  const timer = setTimeout(() => spawned.child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const exit = await spawned.exited;
  clearTimeout(timer);
  return { ...exit, output: spawned.logTail(Number.MAX_SAFE_INTEGER) };
}

function controllerHandle(spawned: SpawnedController, started: LogLine): ControllerProcess {
  const metricsAddress = String(started['metrics']);
  const get = async (path: string) => {
    const response = await fetch(`http://${metricsAddress}${path}`);
    return { status: response.status, body: await response.text() };
  };
  const controller: ControllerProcess = {
    pid: spawned.child.pid!,
    metricsAddress,
    startedAt: typeof started.time === 'number' ? started.time : Date.now(),
    logs: () => [...spawned.lines],
    logTail: spawned.logTail,
    get,
    async status() {
      const reply = await get('/status');
      if (reply.status !== 200) throw new Error(`/status answered ${reply.status}: ${reply.body}`);
      return JSON.parse(reply.body) as ControllerStatusReport;
    },
    async projectStatus(projectName) {
      const report = await controller.status();
      const project = report.projects.find((candidate) => candidate.projectName === projectName);
      if (!project) throw new Error(`/status has no project ${projectName}: ${JSON.stringify(report)}`);
      return project;
    },
    async metrics() {
      const reply = await get('/metrics');
      if (reply.status !== 200) throw new Error(`/metrics answered ${reply.status}: ${reply.body}`);
      return reply.body;
    },
    exited: spawned.exited,
    isRunning: () => spawned.exit() === null,
    terminate: (terminateOptions = {}) => spawned.stopWith('SIGTERM', terminateOptions.timeoutMs ?? 10_000),
    kill: () => spawned.stopWith('SIGKILL', 5_000),
  };
  return controller;
}

/** For afterAll: SIGKILLs every controller this file started that is still running. */
export async function killAllControllers(): Promise<void> {
  await Promise.all([...running].map((controller) => controller.stopWith('SIGKILL', 5_000)));
}

/** A manifests root (a new temp dir) holding each testdata directory under its project name:
 * `{ 'my-project-1a2b3c': 'controller-healing' }` copies test/engine/testdata/controller-healing there.
 * The compose files carry no `name:`, so the directory name is the project name. */
export function manifestsRoot(projects: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'composelet-controller-'));
  for (const [projectName, testdata] of Object.entries(projects)) {
    cpSync(join(REPOSITORY, 'test/engine/testdata', testdata), join(root, projectName), { recursive: true });
  }
  return root;
}

/** The value of one sample in Prometheus text, matched by name and (a subset of) its labels. */
export function metricValue(metricsText: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of metricsText.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const sampleLabels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1], pair[2]]));
    if (Object.entries(labels).every(([key, value]) => sampleLabels[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** Every sample of a metric, as label set and value. */
export function metricSamples(metricsText: string, name: string): Array<{ labels: Record<string, string>; value: number }> {
  const samples: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of metricsText.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [pair[1]!, pair[2]!]));
    samples.push({ labels, value: Number(match[3]) });
  }
  return samples;
}

function parseLine(text: string): LogLine {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === 'object' && typeof (parsed as LogLine).msg === 'string') return parsed as LogLine;
  } catch {
    // not JSON: kept as raw text
  }
  return { msg: text };
}

/** The scenarios run dist/, not src/: a stale build tests yesterday's controller. A missing build fails;
 * sources newer than their compiled files only warn, because while someone edits src/ a check that fails
 * would fail for modules the controller never loads (scripts/test.sh builds before testing anyway). */
function assertBuildIsFresh(): void {
  if (!statSync(CLI, { throwIfNoEntry: false })) {
    throw new Error(`${CLI} is missing: run \`npm run build\` (scripts/test.sh does) before the engine tests`);
  }
  const stale = staleSources(join(REPOSITORY, 'src'), join(REPOSITORY, 'dist'));
  if (stale.length > 0) {
    console.warn(`dist/ is older than ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}: run \`npm run build\` to test the current sources`);
  }
}

/** Sources newer than their compiled .js in dist/ (sources never compiled are not counted). */
function staleSources(sourceDirectory: string, buildDirectory: string): string[] {
  const stale: string[] = [];
  for (const entry of readdirSync(sourceDirectory, { withFileTypes: true })) {
    const source = join(sourceDirectory, entry.name);
    if (entry.isDirectory()) {
      stale.push(...staleSources(source, join(buildDirectory, entry.name)));
      continue;
    }
    if (!/\.ts$/.test(entry.name) || /\.test(-support)?\.ts$/.test(entry.name)) continue;
    const built = statSync(join(buildDirectory, entry.name.replace(/\.ts$/, '.js')), { throwIfNoEntry: false });
    if (built && statSync(source).mtimeMs > built.mtimeMs) stale.push(source);
  }
  return stale;
}

/** For afterEach: when the test failed, prints what the controller logged, which says why far better
 * than a timeout does. */
export function printLogsIfFailed(
  context: { task: { name: string; result?: { state?: string } } },
  controllers: ReadonlyArray<ControllerProcess | undefined>,
): void {
  if (context.task.result?.state !== 'fail') return;
  for (const controller of controllers) {
    if (!controller) continue;
    const file = join(tmpdir(), `composelet-controller-${controller.pid}.log`);
    writeFileSync(file, controller.logTail(Number.MAX_SAFE_INTEGER));
    console.error(`--- controller ${controller.pid} (${context.task.name}): whole log in ${file}, its end: ---\n${controller.logTail(60)}`);
  }
}

/** Waits until the controller's last reconcile of the project succeeded with nothing left to do, and
 * returns that status. */
export async function waitUntilConverged(
  controller: ControllerProcess,
  projectName: string,
  options: { timeoutMs?: number; since?: number } = {},
): Promise<ProjectStatus> {
  return eventually(
    async () => {
      // ready: engine connected, every project reconciled once, and the manifest watcher watching
      expect((await controller.get('/readyz')).status).toBe(200);
      const status = await controller.projectStatus(projectName);
      expect(status.manifest.valid, status.manifest.issues.join('\n')).toBe(true);
      expect(status.lastReconcile).toMatchObject({ result: 'success', operations: 0 });
      expect(status.lastReconcile!.at).toBeGreaterThanOrEqual(options.since ?? 0);
      return status;
    },
    { timeoutMs: options.timeoutMs ?? 30_000, message: `${projectName} converged` },
  );
}
