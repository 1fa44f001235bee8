import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AuditEntry } from '../audit/audit-entry.js';
import { buildAuditEntry } from '../audit/audit-entry.js';
import { abortableDelay, type DelayFunction } from '../controller/sources/abortable-delay.js';
import { createFailureCounter, type BackoffOptions } from '../controller/queue/backoff.js';
import type { ControllerEvent } from '../notify/events.js';
import type { WebhookEndpoint } from '../observability/metrics-server.js';
import { checkoutDirectory, checkoutLayout, currentCommit, materializeCheckout, removeCheckoutsExcept, switchCurrent, type CheckoutLayout } from './checkouts.js';
import { quarantinedList, readDeliveryState, withQuarantined, writeDeliveryState, type CommitInForce, type DeliveryState } from './delivery-state.js';
import { blameRolloutFailure, changedServices, type SpecHashes } from './commit-changes.js';
import type { FailedRollout } from '../state/failed-rollouts.js';
import { verifyCommitSignature } from './commit-signature.js';
import { insideDeployWindows } from './deploy-window.js';
import { gitEnvironment, secretTexts } from './git-auth.js';
import { createGitMetrics, type GitMetrics } from './git-metrics.js';
import type { GitDeliveryConfig } from './git-options.js';
import { fetchBranch } from './git-repository.js';
import { gitSummary, shortCommit, type GitStatus } from './git-status.js';
import type { SecretSources } from '../desired-state/secrets/secret-sources.js';
import { quarantineReason, validateCommit } from './validate-commit.js';
import { createWebhookEndpoint } from './webhook-endpoint.js';

// `run --git`: fetch the branch, check the new commit out beside the current one, load and policy-check
// every project in it, then switch `current` to it and ask the controller to reconcile every project.
// A commit that does not load or is blocked by policy is quarantined (remembered in the state dir, never
// tried again; the last good one stays in force), and so is a commit in force whose rollout of a service it
// changed failed (commit-changes.ts). A failed fetch changes nothing and is retried with
// capped backoff; the controller never stops because of it. Fetches are single-flight: a webhook or poll
// during one makes exactly one more afterwards.

export interface GitDeliveryOptions {
  config: GitDeliveryConfig;
  /** `--state-dir`: everything lives under `<state-dir>/git`. */
  stateDir: string;
  logger: Logger;
  environment: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  secrets?: SecretSources;
  now?: () => number;
  delay?: DelayFunction;
  /** Retry after failed fetches; base min(poll, 5 s), cap 5 min unless given. */
  backoff?: BackoffOptions;
}

export interface GitDeliveryContext {
  registry: Registry;
  /** After each switch of `current`: reconcile every project. */
  onSwitched: () => void;
  audit?: (entries: AuditEntry[]) => Promise<void>;
  /** `--notify`: each quarantine, once (those decided before start are sent at start). */
  notify?: (event: ControllerEvent) => void;
}

export interface GitDelivery {
  /** `<state-dir>/git/current/<git-path>`: the controller's manifests root. */
  readonly manifestsRoot: string;
  /** Until a commit is in force: fetch, retrying with backoff. Resolves false when aborted first. */
  prepare(signal: AbortSignal): Promise<boolean>;
  /** Registers the metrics and starts polling. */
  start(context: GitDeliveryContext): void;
  /** Fetch now (coalesced with one in flight). */
  requestSync(): Promise<void>;
  /** Quarantines a commit (a failed rollout too); when it is in force, the last good one is put back. */
  quarantineCommit(commit: string, reason: string): Promise<void>;
  /** A project's desired specs whose rollout failed (level: every reconcile that has some). When the commit
   * in force changed one of those services to that very spec, it is quarantined, and the last good commit
   * put back for every project (the commit is one transaction). Anything else blames no commit. */
  rolloutsFailed(projectName: string, failed: Readonly<Record<string, FailedRollout>>): Promise<void>;
  commitInForce(): string | null;
  status(): GitStatus;
  /** POST /hooks/git once started; null without --webhook-secret-file. */
  readonly webhook: WebhookEndpoint | null;
  stop(): Promise<void>;
}

type SyncOutcome = 'ok' | 'failed';

export function createGitDelivery(options: GitDeliveryOptions): GitDelivery {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const delay = options.delay ?? abortableDelay;
  const layout: CheckoutLayout = checkoutLayout(join(options.stateDir, 'git'));
  const statePath = join(layout.root, 'delivery.json');
  const backoff = createFailureCounter<'fetch'>(options.backoff ?? { baseMs: Math.min(config.pollMs || 5_000, 5_000), capMs: 300_000 });
  const stopping = new AbortController();
  let wake = new AbortController();
  let state: DeliveryState = { previousGood: null, quarantined: {}, inForce: null };
  let current: string | null = null;
  let lastFetchedCommit: string | null = null;
  let lastFetchSuccessAt: number | null = null;
  let lastFetchError: string | null = null;
  /** A new commit fetched outside every --deploy-window: put in force at the first fetch inside one. */
  let waitingForWindow: string | null = null;
  let environment: Record<string, string> | null = null;
  let context: GitDeliveryContext | null = null;
  let metrics: GitMetrics | null = null;
  let pendingMetrics = true;
  let loaded = false;
  let running: Promise<SyncOutcome> | null = null;
  let again = false;
  let loop: Promise<void> | null = null;
  let webhook: WebhookEndpoint | null = null;
  let unnotified: ControllerEvent[] = [];
  // Fetch-and-switch and a rollout's quarantine both move `current`: one at a time.
  let lock: Promise<unknown> = Promise.resolve();
  function exclusive<T>(step: () => Promise<T>): Promise<T> {
    const result = lock.then(step);
    lock = result.catch(() => undefined);
    return result;
  }

  const log = logger.child({ component: 'git' });

  async function load(): Promise<void> {
    if (loaded) return;
    state = await readDeliveryState(statePath);
    current = await currentCommit(layout);
    environment = await gitEnvironment(config.credentials, layout.root);
    await removeCheckoutsExcept(layout, [current, state.previousGood]);
    if (current !== null && state.quarantined[current] && state.previousGood !== null) {
      // Quarantined while in force (a failed rollout), and the process died before it was put back.
      await putInForce(state.previousGood, { previousGood: null, inForce: restored(state.previousGood) });
    }
    loaded = true;
  }

  function refreshMetrics(): void {
    if (!metrics) return;
    metrics.setCommitInForce(current);
    metrics.setQuarantined(Object.keys(state.quarantined));
    pendingMetrics = false;
  }

  /** The spec hashes of a commit's checkout (kept on disk while it is current or the last good one). */
  function specHashesOf(commit: string): SpecHashes {
    return validateCommit({ checkoutDirectory: checkoutDirectory(layout, commit), gitPath: config.gitPath, environment: options.environment, homeDir: options.homeDir, ...(options.secrets ? { secrets: options.secrets } : {}) }).specHashes;
  }

  /** A commit put back in force: it changed nothing (a later failure of its specs blames no commit). */
  function restored(commit: string): CommitInForce {
    return { commit, specHashes: specHashesOf(commit), changed: {} };
  }

  async function putInForce(commit: string, next: { previousGood: string | null; inForce: CommitInForce }): Promise<void> {
    await switchCurrent(layout, commit);
    current = commit;
    state = { ...state, previousGood: next.previousGood, inForce: next.inForce };
    await writeDeliveryState(statePath, state);
    await removeCheckoutsExcept(layout, [current, state.previousGood]);
    refreshMetrics();
  }

  function notify(event: ControllerEvent): void {
    if (context?.notify) context.notify(event);
    else unnotified.push(event);
  }

  /** `inForce`: the commit in force once the quarantine is done (the last good one put back, if it is). */
  async function quarantine(commit: string, reason: string, projects: readonly string[], inForce: string | null): Promise<void> {
    const at = new Date(now()).toISOString();
    state = withQuarantined(state, { commit, reason, at });
    refreshMetrics();
    await writeDeliveryState(statePath, state);
    log.error({ commit, inForce }, `commit ${shortCommit(commit)} quarantined: ${reason}${inForce ? `; ${shortCommit(inForce)} stays in force` : ''}`);
    notify({ kind: 'commit-quarantined', commit, reason, inForce, projects: [...projects] });
    await context?.audit?.(
      (projects.length > 0 ? projects : ['.']).map((project) =>
        buildAuditEntry({
          actor: 'controller',
          project,
          service: null,
          action: 'quarantine-commit',
          resource: `commit:${commit}`,
          cause: reason,
          specHashBefore: null,
          specHashAfter: null,
          result: 'skipped',
          error: reason,
          manifestCommit: commit,
          durationMs: 0,
        }),
      ),
    ).catch((error: unknown) => log.warn({ error: (error as Error).message }, 'could not audit the quarantine'));
  }

  async function syncOnce(): Promise<SyncOutcome> {
    await load();
    let fetched: string;
    try {
      fetched = await fetchBranch(layout, { url: config.url, branch: config.branch, environment: environment!, secrets: secretTexts(config.credentials), signal: stopping.signal });
    } catch (error) {
      if (stopping.signal.aborted) return 'ok';
      lastFetchError = (error as Error).message;
      metrics?.recordFetch({ ok: false });
      log.warn({ failures: backoff.failures('fetch') + 1, inForce: current }, `fetch failed, the commit in force stays: ${lastFetchError}`);
      return 'failed';
    }
    lastFetchedCommit = fetched;
    lastFetchSuccessAt = now();
    lastFetchError = null;
    metrics?.recordFetch({ ok: true, atSeconds: lastFetchSuccessAt / 1000 });
    if (fetched === current || state.quarantined[fetched]) {
      waitingForWindow = null;
      return 'ok';
    }
    if (config.allowedSignersFile) {
      const signature = await verifyCommitSignature({ repository: layout.repository, commit: fetched, allowedSignersFile: config.allowedSignersFile, signal: stopping.signal });
      if (!signature.ok) {
        await quarantine(fetched, signature.reason, [], current);
        return 'ok';
      }
      log.info({ commit: fetched, signer: signature.signer }, `commit ${shortCommit(fetched)} signed by ${signature.signer}`);
    }
    const windows = config.deployWindows ?? [];
    if (current !== null && !insideDeployWindows(windows, now())) {
      if (waitingForWindow !== fetched) log.info({ commit: fetched, inForce: current }, `commit ${shortCommit(fetched)} waits for a deploy window (${windows.map((window) => window.text).join('; ')}); ${shortCommit(current)} stays in force`);
      waitingForWindow = fetched;
      return 'ok';
    }
    waitingForWindow = null;
    log.info({ commit: fetched, inForce: current }, `new commit ${shortCommit(fetched)}: checking it out`);
    let directory: string;
    try {
      directory = await materializeCheckout(layout, fetched, { signal: stopping.signal });
    } catch (error) {
      lastFetchError = `checkout of ${shortCommit(fetched)} failed: ${(error as Error).message}`;
      log.warn({ commit: fetched }, lastFetchError);
      return 'failed';
    }
    const verdict = validateCommit({ checkoutDirectory: directory, gitPath: config.gitPath, environment: options.environment, homeDir: options.homeDir, ...(options.secrets ? { secrets: options.secrets } : {}) });
    if (!verdict.ok) {
      await quarantine(fetched, quarantineReason(verdict.problems), verdict.projects, current);
      await rm(checkoutDirectory(layout, fetched), { recursive: true, force: true });
      return 'ok';
    }
    const previous = current;
    // What this commit changes, against the commit in force (nothing on the first one: there is no last good
    // commit to go back to, and the failed-spec memory alone holds a failing service).
    const before = previous === null ? null : state.inForce?.commit === previous ? state.inForce.specHashes : specHashesOf(previous);
    const changed = before === null ? {} : changedServices(before, verdict.specHashes);
    await putInForce(fetched, {
      previousGood: previous !== null && previous !== fetched ? previous : state.previousGood,
      inForce: { commit: fetched, specHashes: verdict.specHashes, changed },
    });
    log.info({ commit: fetched, previous, projects: verdict.projects }, `commit ${shortCommit(fetched)} in force: reconciling every project`);
    context?.onSwitched();
    return 'ok';
  }

  function requestSyncOutcome(): Promise<SyncOutcome> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let outcome: SyncOutcome;
      do {
        again = false;
        outcome = await exclusive(syncOnce).catch((error: unknown) => {
          lastFetchError = (error as Error).message;
          log.error({ error: lastFetchError }, 'git delivery step failed; retrying');
          return 'failed' as const;
        });
      } while (again && !stopping.signal.aborted);
      return outcome;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  async function pollLoop(): Promise<void> {
    while (!stopping.signal.aborted) {
      const outcome = await requestSyncOutcome();
      let waitMs: number;
      if (outcome === 'failed') waitMs = backoff.nextDelay('fetch');
      else {
        backoff.forget('fetch');
        // webhooks only: a commit waiting for a deploy window is looked at again every minute
        if (config.pollMs === 0) waitMs = waitingForWindow !== null ? 60_000 : 2 ** 31 - 1;
        else waitMs = config.pollMs;
      }
      wake = new AbortController();
      const signal = AbortSignal.any([stopping.signal, wake.signal]);
      await delay(waitMs, signal).catch(() => undefined);
    }
  }

  async function quarantineAndPutBack(commit: string, reason: string, projects: readonly string[]): Promise<void> {
    await load();
    const back = commit === current ? state.previousGood : null;
    await quarantine(commit, reason, projects, back ?? current);
    if (back !== null) {
      await putInForce(back, { previousGood: null, inForce: restored(back) });
      log.warn({ commit: back }, `put ${shortCommit(back)} back in force after quarantining ${shortCommit(commit)}`);
      context?.onSwitched();
    }
  }

  const status = (): GitStatus => {
    const base = {
      url: config.url,
      branch: config.branch,
      path: config.gitPath,
      commit: current,
      lastFetchedCommit,
      lastFetchSuccessAt: lastFetchSuccessAt === null ? null : new Date(lastFetchSuccessAt).toISOString(),
      lastFetchError,
      consecutiveFetchFailures: backoff.failures('fetch'),
      quarantined: quarantinedList(state),
      waitingForWindow: waitingForWindow === null ? null : { commit: waitingForWindow, windows: (config.deployWindows ?? []).map((window) => window.text) },
    };
    return { ...base, summary: gitSummary(base) };
  };

  const delivery: GitDelivery = {
    manifestsRoot: join(layout.current, config.gitPath),
    async prepare(signal) {
      await load();
      while (current === null) {
        if (signal.aborted) return false;
        const outcome = await requestSyncOutcome();
        if (current !== null) break;
        const waitMs = outcome === 'failed' ? backoff.nextDelay('fetch') : Math.max(config.pollMs, 1_000);
        log.warn({ retryInMs: waitMs }, `no good commit yet: ${gitSummary(status())}; trying again`);
        await delay(waitMs, AbortSignal.any([signal, stopping.signal])).catch(() => undefined);
      }
      if (lastFetchError === null) backoff.forget('fetch');
      return true;
    },
    start(startContext) {
      context = startContext;
      metrics = createGitMetrics(startContext.registry);
      const gitMetrics = metrics;
      webhook = config.webhookSecretFile
        ? createWebhookEndpoint({
            secretFile: config.webhookSecretFile,
            branch: config.branch,
            metrics: gitMetrics,
            logger: log,
            // Wake the poll loop; during a fetch, make one more after it (bursts coalesce into that one).
            onPush: () => (running ? (again = true) : wake.abort()),
          })
        : null;
      if (lastFetchSuccessAt !== null) metrics.recordFetch({ ok: true, atSeconds: lastFetchSuccessAt / 1000 });
      if (pendingMetrics) refreshMetrics();
      for (const event of unnotified.splice(0)) startContext.notify?.(event);
      loop = pollLoop();
    },
    async requestSync() {
      await requestSyncOutcome();
    },
    quarantineCommit: (commit, reason) => exclusive(() => quarantineAndPutBack(commit, reason, [])),
    rolloutsFailed: (projectName, failed) =>
      exclusive(async () => {
        await load();
        const inForce = state.inForce;
        if (inForce === null || inForce.commit !== current || state.quarantined[inForce.commit]) return;
        const blame = blameRolloutFailure(inForce.changed, projectName, failed);
        if (blame === null) return;
        log.error({ commit: inForce.commit, project: projectName, service: blame.service }, `the rollout of ${projectName}/${blame.service} failed with the spec commit ${shortCommit(inForce.commit)} brought: the commit is rejected as a whole`);
        await quarantineAndPutBack(inForce.commit, blame.reason, Object.keys(inForce.changed).sort());
      }),
    commitInForce: () => current,
    status,
    get webhook() {
      return webhook;
    },
    async stop() {
      stopping.abort();
      await loop;
      await running;
    },
  };
  return delivery;
}
