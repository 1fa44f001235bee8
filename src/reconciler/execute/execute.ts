import type { ContainerInspect, EnginePort } from '../../engine/engine-port.js';
import { EngineRequestError, EngineUnavailableError, isNotFound, isNotModified, type EngineRequestFailure } from '../../engine/engine-errors.js';
import { buildNetworkSpec } from '../../actuators/network-spec.js';
import { anonymousVolumeLabels, anonymousVolumeName, buildAnonymousVolumeSpec, buildVolumeSpec, type AnonymousVolumeOwner } from '../../actuators/volume-spec.js';
import { buildContextTar } from '../../actuators/build-context.js';
import type { ContainerCreateSpec } from '../../actuators/container-spec.js';
import { createWithFiles, runPostStartHooks, runPreStopHooks } from './execute-hooks.js';
import { ADOPTED_COMPLETED, BUILD_HASH, SPEC_HASH } from '../labels.js';
import type { ObservedContainer } from '../observe/observed-state.js';
import { isMutating, type Operation, type Plan, type UpdateContainerOperation, type WaitOperation } from '../plan/plan.js';
import { crashPointReached } from './crash-point.js';
import { scheduleOrder } from './schedule-order.js';
import { gateVerdict } from '../plan/rollout/rollout-gate.js';
import { monitorContainer, MonitorAbandoned } from './wait/monitor-container.js';
import { concernsContainer, createWakeups, type Wakeups } from './wait/wakeups.js';

// Runs a plan and decides nothing: an operation starts once everything it depends on succeeded, at most
// `concurrency` engine operations run at once (waits don't count; ready ones take free slots in
// schedule-order.ts's order), a failure skips only its dependents.
// One engine call per operation, plus two mechanical reads: compare-before-mutate (an existing container
// that changed since it was observed is left alone for the next reconcile) and the anonymous volumes a
// replacement inherits. Errors become messages in the report; nothing is thrown out of `execute`.

/** `unneeded`: a fallback whose operations all succeeded, so there was nothing to put back. */
export type OperationStatus = 'succeeded' | 'failed' | 'skipped' | 'abandoned' | 'unneeded';

export interface OperationResult {
  id: number;
  status: OperationStatus;
  /** failed: the error's message; skipped: why; abandoned: "stopped before it started". */
  error?: string;
  durationMs: number;
  /** create-container that succeeded: the new container's id (a rollout's audit entry names it). */
  containerId?: string;
  /** failed with an engine answer: its status and message, for the controller's classifiers (engine-errors.ts). */
  engineError?: EngineRequestFailure;
}

export interface ExecutionReport {
  /** One per operation, by id. */
  results: OperationResult[];
  totals: Record<OperationStatus, number>;
  durationMs: number;
}

export interface ExecutionEvent {
  type: 'started' | 'succeeded' | 'failed' | 'skipped';
  operation: Operation;
  error?: string;
}

export interface ExecuteOptions {
  /** Engine operations in flight at once (waits don't count). Default 4. */
  concurrency?: number;
  /** A wait's timeout when the operation names none. Default 120000. */
  waitTimeoutMs?: number;
  /** Between two inspections of a waited-for container when no engine event woke the wait. Default 1000
   * while the engine's event stream is open, 250 when the engine refused it. */
  pollIntervalMs?: number;
  /** The snapshot the plan was made from, for compare-before-mutate. */
  observedContainers: ObservedContainer[];
  onEvent?: (event: ExecutionEvent) => void;
  sleep?: (milliseconds: number) => Promise<void>;
  now?: () => number;
  /** Aborted: start nothing new; engine calls in flight finish, waits in flight are abandoned. */
  signal?: AbortSignal;
}

interface Context {
  engine: EnginePort;
  guard: ChangeGuard;
  waitTimeoutMs: number;
  pollIntervalMs: number | null;
  sleep: ((milliseconds: number) => Promise<void>) | null;
  now: () => number;
  signal: AbortSignal | undefined;
  wakeups: Wakeups;
}

type Outcome = { status: OperationStatus; error?: string; engineUnavailable?: boolean; containerId?: string; engineError?: EngineRequestFailure };

class Abandoned extends Error {}

export function execute(plan: Plan, engine: EnginePort, options: ExecuteOptions): Promise<ExecutionReport> {
  const now = options.now ?? Date.now;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const context: Context = {
    engine,
    guard: createChangeGuard(plan, options.observedContainers),
    waitTimeoutMs: options.waitTimeoutMs ?? 120_000,
    pollIntervalMs: options.pollIntervalMs ?? null,
    sleep: options.sleep ?? null,
    now,
    signal: options.signal,
    wakeups: createWakeups(engine),
  };
  const startedAt = now();
  const results = new Map<number, OperationResult>();
  // Ready operations take engine slots in this order: the longest chain of work behind them first.
  const byId = new Map(plan.operations.map((operation) => [operation.id, operation] as const));
  const pending = scheduleOrder(plan.operations).map((id) => byId.get(id)!);
  let engineOperationsInFlight = 0;
  let inFlight = 0;
  let engineUnavailable: string | null = null;
  let pumping = false;
  let pumpAgain = false;

  const emit = (event: ExecutionEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure is not the operation's.
    }
  };
  const settle = (operation: Operation, outcome: Outcome, operationStartedAt: number | null) => {
    const durationMs = operationStartedAt === null ? 0 : now() - operationStartedAt;
    results.set(operation.id, {
      id: operation.id,
      status: outcome.status,
      ...(outcome.error !== undefined ? { error: outcome.error } : {}),
      durationMs,
      ...(outcome.containerId !== undefined ? { containerId: outcome.containerId } : {}),
      ...(outcome.engineError !== undefined ? { engineError: outcome.engineError } : {}),
    });
    if (outcome.status !== 'abandoned' && outcome.status !== 'unneeded') {
      const type = outcome.status === 'succeeded' ? 'succeeded' : outcome.status === 'failed' ? 'failed' : 'skipped';
      emit({ type, operation, ...(outcome.error !== undefined ? { error: outcome.error } : {}) });
    }
  };
  const start = (operation: Operation) => {
    const countsTowardConcurrency = isMutating(operation);
    inFlight += 1;
    if (countsTowardConcurrency) engineOperationsInFlight += 1;
    const operationStartedAt = now();
    emit({ type: 'started', operation });
    void Promise.resolve()
      .then(() => runOperation(operation, context))
      .then((outcome) => {
        inFlight -= 1;
        if (countsTowardConcurrency) engineOperationsInFlight -= 1;
        if (outcome.engineUnavailable === true) engineUnavailable ??= outcome.error ?? 'engine unavailable';
        settle(operation, outcome, operationStartedAt);
        pump();
      });
  };
  /** Settles or starts every pending operation that can be settled or started now. */
  const step = () => {
    for (const operation of [...pending]) {
      const verdict = readiness(operation, results, { aborted: options.signal?.aborted === true, engineUnavailable, plan });
      if (verdict === 'blocked') continue;
      if (verdict === 'ready' && isMutating(operation) && engineOperationsInFlight >= concurrency) continue;
      pending.splice(pending.indexOf(operation), 1);
      if (verdict === 'ready') start(operation);
      else {
        settle(operation, verdict, null);
        pumpAgain = true;
      }
    }
  };

  let resolveReport: (report: ExecutionReport) => void = () => {};
  const done = new Promise<ExecutionReport>((resolve) => {
    resolveReport = resolve;
  });
  let resolved = false;
  const finishIfDone = () => {
    if (resolved || inFlight > 0) return;
    // Nothing runs, yet something is pending: it waits on an id that never runs (unknown, or a cycle).
    // Fail the first such operation and let its dependents be skipped as usual.
    const stuck = pending.shift();
    if (stuck !== undefined) {
      const missing = stuck.dependsOn.find((id) => !results.has(id)) ?? -1;
      settle(stuck, { status: 'failed', error: `dependency [${missing}] never ran (unknown id or a dependency cycle)` }, null);
      return pump();
    }
    resolved = true;
    context.wakeups.close();
    options.signal?.removeEventListener('abort', pump);
    resolveReport(report(results, plan, now() - startedAt));
  };
  function pump() {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    do {
      pumpAgain = false;
      step();
    } while (pumpAgain);
    pumping = false;
    finishIfDone();
  }
  options.signal?.addEventListener('abort', pump);
  pump();
  return done;
}

type Readiness = 'ready' | 'blocked' | Outcome;

function readiness(
  operation: Operation,
  results: ReadonlyMap<number, OperationResult>,
  run: { aborted: boolean; engineUnavailable: string | null; plan: Plan },
): Readiness {
  if (run.engineUnavailable !== null) return { status: 'failed', error: run.engineUnavailable };
  const fallback = operation.onFailureOf === undefined ? null : fallbackVerdict(operation.onFailureOf, results, run.plan);
  if (fallback === 'blocked') return 'blocked';
  if (fallback === 'unneeded') return { status: 'unneeded' };
  // A triggered fallback runs even when the run is being stopped: it puts back what the run took away.
  if (run.aborted && fallback === null) return { status: 'abandoned', error: 'stopped before it started' };
  for (const id of operation.dependsOn) {
    const result = results.get(id);
    if (result === undefined) return 'blocked';
    if (result.status === 'failed') return { status: 'skipped', error: `dependency [${id}] failed` };
    if (result.status !== 'succeeded') return { status: 'skipped', error: `dependency [${id}] was ${result.status}` };
  }
  // A rollout gate counts the proofs it watches (the planner set how many may fail).
  if (operation.kind === 'rollout-gate') return gateVerdict(operation, results);
  return 'ready';
}

/**
 * A fallback runs once every operation it covers has settled, when one of them failed, was skipped by
 * compare-before-mutate (its own dependencies had succeeded), or was abandoned after part of the sequence
 * ran; when the sequence never started or all of it succeeded, it is not needed.
 */
export function fallbackVerdict(
  covered: readonly number[],
  results: ReadonlyMap<number, OperationResult>,
  plan: Plan,
): 'blocked' | 'triggered' | 'unneeded' {
  const settled = covered.map((id) => results.get(id));
  if (settled.some((result) => result === undefined)) return 'blocked';
  const statuses = settled.map((result) => result!.status);
  const guardSkipped = (id: number) =>
    results.get(id)?.status === 'skipped' && (plan.operations[id]?.dependsOn ?? []).every((dependency) => results.get(dependency)?.status === 'succeeded');
  if (statuses.includes('failed') || covered.some(guardSkipped)) return 'triggered';
  if (statuses.includes('abandoned') && statuses.includes('succeeded')) return 'triggered';
  return 'unneeded';
}

function report(results: ReadonlyMap<number, OperationResult>, plan: Plan, durationMs: number): ExecutionReport {
  const ordered = plan.operations
    .map((operation) => results.get(operation.id))
    .filter((result): result is OperationResult => result !== undefined)
    .sort((left, right) => left.id - right.id);
  const totals: Record<OperationStatus, number> = { succeeded: 0, failed: 0, skipped: 0, abandoned: 0, unneeded: 0 };
  for (const result of ordered) totals[result.status] += 1;
  return { results: ordered, totals, durationMs };
}

async function runOperation(operation: Operation, context: Context): Promise<Outcome> {
  try {
    const change = await context.guard.check(operation, context.engine);
    if (change !== null) {
      return { status: 'skipped', error: `container changed since it was observed (${change}); the next reconcile will look again` };
    }
    crashPointReached(operation.kind);
    const containerId = await perform(operation, context);
    context.guard.applied(operation);
    return { status: 'succeeded', ...(typeof containerId === 'string' ? { containerId } : {}) };
  } catch (error) {
    if (error instanceof Abandoned) return { status: 'abandoned', error: error.message };
    return { status: 'failed', error: messageOf(error), engineUnavailable: isEngineUnavailable(error), ...engineFailureOf(error) };
  }
}

/** The operation's one engine call; a create returns the new container's id. */
async function perform(operation: Operation, context: Context): Promise<void | string> {
  const { engine } = context;
  switch (operation.kind) {
    case 'build-image': {
      const buildArgs = Object.fromEntries(
        Object.entries(operation.build.args).filter((entry): entry is [string, string] => entry[1] !== null),
      );
      await engine.buildImage(buildContextTar(operation.build), {
        tag: operation.image,
        dockerfile: operation.build.dockerfile,
        buildArgs,
        ...(operation.build.target !== null ? { target: operation.build.target } : {}),
        labels: { ...operation.build.labels, [BUILD_HASH]: operation.buildHash },
      });
      return;
    }
    case 'pull-image':
      return engine.pullImage(operation.image);
    case 'create-network':
      await engine.createNetwork({ ...buildNetworkSpec(operation.projectName, operation.network) });
      return;
    case 'create-volume': {
      const { anonymous } = operation;
      await engine.createVolume({ ...(anonymous ? buildAnonymousVolumeSpec(anonymous, anonymous.target) : buildVolumeSpec(operation.projectName, operation.volume)) });
      return;
    }
    case 'create-container': {
      const previous = operation.inheritAnonymousVolumesFrom;
      const inherited = previous === null ? operation.spec : withAnonymousVolumesOf(operation.spec, await engine.inspectContainer(previous));
      const owner = operation.nameImageVolumes;
      const spec = owner === null ? inherited : withImageVolumesNamed(inherited, owner, imageVolumesOf(await engine.inspectImage(inherited.Image)));
      return createWithFiles(engine, operation.name, { ...spec }, operation.files);
    }
    case 'start-container':
      await toleratingNotModified(engine.startContainer(operation.container));
      return runPostStartHooks(engine, operation.container, operation.postStart);
    case 'stop-container':
      await runPreStopHooks(engine, operation.container, operation.preStop);
      return toleratingNotModified(
        engine.stopContainer(operation.container, { timeoutSeconds: operation.timeoutSeconds, signal: operation.signal }),
      );
    case 'remove-container':
      try {
        return await engine.removeContainer(operation.container, { force: operation.force === true, removeVolumes: operation.removeAnonymousVolumes });
      } catch (error) {
        if (operation.ignoreMissing === true && isNotFound(error)) return;
        throw error;
      }
    case 'rename-container':
      return engine.renameContainer(operation.container, operation.newName);
    case 'update-container':
      return engine.updateContainer(operation.container, updateBody(operation));
    case 'connect-network': {
      const addresses = {
        ...(operation.ipv4Address !== null ? { IPv4Address: operation.ipv4Address } : {}),
        ...(operation.ipv6Address !== null ? { IPv6Address: operation.ipv6Address } : {}),
      };
      return engine.connectNetwork(operation.network, {
        Container: operation.container,
        EndpointConfig: { Aliases: operation.aliases, ...(Object.keys(addresses).length > 0 ? { IPAMConfig: addresses } : {}) },
      });
    }
    case 'wait':
      if (operation.monitorSeconds !== undefined && operation.condition !== 'completed-successfully') {
        const timeoutMs = operation.timeoutSeconds !== null ? operation.timeoutSeconds * 1000 : context.waitTimeoutMs;
        return monitorContainer(engine, operation.container, {
          condition: operation.condition,
          monitorMs: operation.monitorSeconds * 1000,
          timeoutMs,
          now: context.now,
          ...(context.signal ? { signal: context.signal } : {}),
        }).catch((error: unknown) => {
          throw error instanceof MonitorAbandoned ? new Abandoned(error.message) : error;
        });
      }
      return waitFor(operation, context);
    case 'rollout-gate':
      return holdFor(operation.delaySeconds * 1000, context);
    case 'remove-network':
      return engine.removeNetwork(operation.network);
    case 'remove-volume':
      try {
        return await engine.removeVolume(operation.volume);
      } catch (error) {
        if (operation.ignoreMissing === true && isNotFound(error)) return;
        throw error;
      }
    default:
      return unreachable(operation);
  }
}

function unreachable(operation: never): never {
  throw new Error(`unknown operation kind ${(operation as { kind: string }).kind}`);
}

/** A rollout's delay between batches; a stop abandons it. */
async function holdFor(milliseconds: number, context: Context): Promise<void> {
  if (milliseconds <= 0) return;
  if (context.signal?.aborted === true) throw new Abandoned('stopped before the next batch');
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new Abandoned('stopped before the next batch'));
    context.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const sleep = context.sleep ?? ((wait: number) => new Promise<void>((resolve) => setTimeout(resolve, wait)));
    await Promise.race([sleep(milliseconds), aborted]);
  } finally {
    context.signal?.removeEventListener('abort', onAbort);
  }
}

/** 304 "already started/stopped": the operation's outcome holds. */
async function toleratingNotModified(call: Promise<void>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!isNotModified(error)) throw error;
  }
}

/**
 * The `docker update` body. The engine reads 0 as "leave as is" for memory, cpus and shares; swap
 * follows memory as on create (2x) when only memory is set; a PidsLimit of -1 means unlimited.
 */
export function updateBody(operation: Pick<UpdateContainerOperation, 'limits' | 'restart'>): Record<string, unknown> {
  const { limits, restart } = operation;
  const memorySwap = limits.memswapBytes ?? (limits.memoryBytes !== null ? limits.memoryBytes * 2 : 0);
  return {
    Memory: limits.memoryBytes ?? 0,
    MemoryReservation: limits.memoryReservationBytes ?? 0,
    MemorySwap: memorySwap,
    NanoCpus: limits.nanoCpus ?? 0,
    CpuShares: limits.cpuShares ?? 0,
    PidsLimit: limits.pidsLimit ?? -1,
    RestartPolicy: { Name: restart.name, MaximumRetryCount: restart.maximumRetryCount },
  };
}

const ANONYMOUS_VOLUME_NAME = /^[0-9a-f]{64}$/;

/** The spec plus a volume mount for each anonymous volume of `previous` at a target the spec leaves free. */
export function withAnonymousVolumesOf(spec: ContainerCreateSpec, previous: ContainerInspect): ContainerCreateSpec {
  const previousAnonymous = new Map(
    previous.Mounts.filter((mount) => mount.Type === 'volume' && ANONYMOUS_VOLUME_NAME.test(mount.Name ?? '')).map(
      (mount) => [mount.Destination, mount.Name!] as const,
    ),
  );
  if (previousAnonymous.size === 0) return spec;
  const mounts = Array.isArray(spec.HostConfig['Mounts']) ? (spec.HostConfig['Mounts'] as Array<Record<string, unknown>>) : [];
  // An anonymous volume the spec declares again takes the old container's volume (its data) as source.
  const adopted = mounts.map((mount) => {
    const target = mount['Target'];
    const inherited = typeof target === 'string' ? previousAnonymous.get(target) : undefined;
    return mount['Type'] === 'volume' && !mount['Source'] && inherited ? { ...mount, Source: inherited } : mount;
  });
  // Anonymous volumes the spec does not mention (an image's VOLUME) are mounted as they were.
  const mounted = mountedTargets(spec);
  const added = [...previousAnonymous]
    .filter(([target]) => !mounted.has(target))
    .map(([target, name]) => ({ Type: 'volume', Source: name, Target: target }));
  return { ...spec, HostConfig: { ...spec.HostConfig, Mounts: [...adopted, ...added] } };
}

/** The VOLUME targets of an image's config. */
export function imageVolumesOf(image: { Config?: { Volumes?: Record<string, unknown> | null } | null }): string[] {
  return Object.keys(image.Config?.Volumes ?? {}).sort();
}

/** The spec plus a mount, under the owner's anonymous volume name, for each image VOLUME it leaves free;
 * the engine creates a missing one with composelet's labels (VolumeOptions.Labels). */
export function withImageVolumesNamed(spec: ContainerCreateSpec, owner: AnonymousVolumeOwner, imageVolumes: readonly string[]): ContainerCreateSpec {
  const mounted = mountedTargets(spec);
  const added = imageVolumes
    .filter((target) => !mounted.has(target))
    .map((target) => ({
      Type: 'volume',
      Source: anonymousVolumeName(owner, target),
      Target: target,
      VolumeOptions: { Labels: anonymousVolumeLabels(owner, target) },
    }));
  if (added.length === 0) return spec;
  const mounts = Array.isArray(spec.HostConfig['Mounts']) ? (spec.HostConfig['Mounts'] as Array<Record<string, unknown>>) : [];
  return { ...spec, HostConfig: { ...spec.HostConfig, Mounts: [...mounts, ...added] } };
}

function mountedTargets(spec: ContainerCreateSpec): Set<string> {
  const targets = new Set<string>();
  const mounts = spec.HostConfig['Mounts'];
  if (Array.isArray(mounts)) {
    for (const mount of mounts as Array<{ Target?: unknown }>) if (typeof mount.Target === 'string') targets.add(mount.Target);
  }
  const binds = spec.HostConfig['Binds'];
  if (Array.isArray(binds)) {
    for (const bind of binds) {
      if (typeof bind !== 'string') continue;
      const parts = bind.split(':');
      const target = parts.length === 1 ? parts[0] : parts[1];
      if (target !== undefined) targets.add(target);
    }
  }
  const tmpfs = spec.HostConfig['Tmpfs'];
  if (tmpfs !== null && typeof tmpfs === 'object') for (const target of Object.keys(tmpfs)) targets.add(target);
  return targets;
}

/** Reads the container until the condition holds, fails for good, or the time is up; each of its engine
 * events (start, die, health_status...) wakes the wait at once, a backstop re-reads it without one. */
async function waitFor(operation: WaitOperation, context: Context): Promise<void> {
  const timeoutMs = operation.timeoutSeconds !== null ? operation.timeoutSeconds * 1000 : context.waitTimeoutMs;
  const deadline = context.now() + timeoutMs;
  for (;;) {
    if (context.signal?.aborted === true) throw new Abandoned('stopped while waiting');
    const ticket = await context.wakeups.ticket((event) => concernsContainer(event, operation.container));
    let verdict: string;
    try {
      verdict = judge(await context.engine.inspectContainer(operation.container), operation.condition);
    } catch (error) {
      ticket.release();
      throw error;
    }
    if (verdict !== 'pending' || context.now() >= deadline) ticket.release();
    if (verdict === 'met') return;
    if (verdict !== 'pending') throw new Error(verdict);
    if (context.now() >= deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${operation.condition}`);
    const backstopMs = context.pollIntervalMs ?? (context.wakeups.streaming ? 1000 : 250);
    await ticket.wait({
      backstopMs: Math.max(0, Math.min(backstopMs, deadline - context.now())),
      ...(context.sleep ? { sleep: context.sleep } : {}),
      ...(context.signal ? { signal: context.signal } : {}),
    });
  }
}

/** 'met', 'pending', or why the condition can no longer hold. */
export function judge(live: ContainerInspect, condition: WaitOperation['condition']): string {
  const state = live.State;
  const ended = state.Status === 'exited' || state.Status === 'dead';
  // A one-shot adopted after it had completed under docker compose: created, never to be run again.
  const adoptedCompleted = state.Status === 'created' && live.Config.Labels?.[ADOPTED_COMPLETED] !== undefined;
  if (adoptedCompleted && condition !== 'healthy') return 'met';
  switch (condition) {
    case 'running':
      // Running, or already ran and finished: the container was started (Compose's service_started).
      return state.Running || (ended && !state.StartedAt.startsWith('0001-')) ? 'met' : 'pending';
    case 'healthy':
      if (state.Health === undefined) return 'has no healthcheck';
      if (state.Health.Status === 'healthy') return 'met';
      if (ended) return `exited with code ${state.ExitCode} before it was healthy`;
      if (state.Health.Status === 'unhealthy') return 'is unhealthy';
      return 'pending';
    case 'completed-successfully':
      if (!ended) return 'pending';
      return state.ExitCode === 0 ? 'met' : `exited with code ${state.ExitCode}`;
  }
}

/** Compare-before-mutate for containers that existed when the plan was made. */
interface ChangeGuard {
  /** null: go ahead; else what changed. */
  check(operation: Operation, engine: EnginePort): Promise<string | null>;
  /** Records what a successful operation changed, so the next check expects it. */
  applied(operation: Operation): void;
}

interface Expectation {
  id: string;
  specHash: string | null;
  state: string;
}

/** Containers the operation mutates in place (create makes a new one; waits only read). */
function mutatedContainer(operation: Operation): string | null {
  switch (operation.kind) {
    case 'start-container':
    case 'stop-container':
    case 'remove-container':
    case 'rename-container':
    case 'update-container':
    case 'connect-network':
      return operation.container;
    default:
      return null;
  }
}

function createChangeGuard(plan: Plan, observed: readonly ObservedContainer[]): ChangeGuard {
  const expectations = new Map<string, Expectation>(
    observed.map((container) => [container.id, { id: container.id, specHash: container.specHash, state: container.state }]),
  );
  // Which observed container each operation touches, following names through the plan in id order: a name
  // taken by a container this plan creates (or renames into it) no longer means the observed one.
  const nameOwners = new Map<string, string | 'plan'>(observed.map((container) => [container.name, container.id]));
  const targets = new Map<number, string>();
  for (const operation of [...plan.operations].sort((left, right) => left.id - right.id)) {
    const reference = mutatedContainer(operation);
    const owner = reference === null ? undefined : (observedIdFor(reference, observed) ?? nameOwners.get(reference));
    if (owner !== undefined && owner !== 'plan') targets.set(operation.id, owner);
    if (operation.kind === 'create-container') nameOwners.set(operation.name, 'plan');
    // A fallback's rename may never run: the names stay as the plan's own steps left them.
    if (operation.kind === 'rename-container' && operation.onFailureOf === undefined) {
      nameOwners.delete(operation.container);
      nameOwners.set(operation.newName, owner ?? 'plan');
    }
  }
  return {
    async check(operation, engine) {
      const observedId = targets.get(operation.id);
      const reference = mutatedContainer(operation);
      if (observedId === undefined || reference === null) return null;
      const expected = expectations.get(observedId);
      if (expected === undefined) return 'it was removed earlier in this run';
      let live: ContainerInspect;
      try {
        live = await engine.inspectContainer(reference);
      } catch (error) {
        if (isNotFound(error)) return 'it is gone';
        throw error;
      }
      const changes: string[] = [];
      if (live.Id !== expected.id) changes.push(`id ${expected.id.slice(0, 12)} is now ${live.Id.slice(0, 12)}`);
      const specHash = live.Config.Labels?.[SPEC_HASH] ?? null;
      if (specHash !== expected.specHash) changes.push(`spec hash ${expected.specHash ?? 'none'} is now ${specHash ?? 'none'}`);
      if (isUp(live.State.Status) !== isUp(expected.state)) changes.push(`was ${expected.state}, now ${live.State.Status}`);
      return changes.length > 0 ? changes.join(', ') : null;
    },
    applied(operation) {
      const observedId = targets.get(operation.id);
      const expected = observedId === undefined ? undefined : expectations.get(observedId);
      if (observedId === undefined || expected === undefined) return;
      if (operation.kind === 'start-container') expected.state = 'running';
      if (operation.kind === 'stop-container') expected.state = 'exited';
      if (operation.kind === 'remove-container') expectations.delete(observedId);
    },
  };
}

function observedIdFor(reference: string, observed: readonly ObservedContainer[]): string | undefined {
  return observed.find((container) => container.id === reference || (reference.length >= 12 && container.id.startsWith(reference)))?.id;
}

/** Running, restarting and paused containers are up; created, exited and dead ones are not. */
function isUp(state: string): boolean {
  return state === 'running' || state === 'restarting' || state === 'paused';
}

function isEngineUnavailable(error: unknown): boolean {
  return error instanceof EngineUnavailableError || (error as { kind?: unknown } | null)?.kind === 'engine-unavailable';
}

function engineFailureOf(error: unknown): { engineError?: EngineRequestFailure } {
  if (!(error instanceof EngineRequestError)) return {};
  return { engineError: { kind: error.kind, statusCode: error.statusCode, engineMessage: error.engineMessage } };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
