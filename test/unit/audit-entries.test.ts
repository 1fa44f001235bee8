import { describe, expect, it } from 'vitest';
import { auditEntriesOf, buildAuditEntry, type AuditContext } from '../../src/audit/audit-entry.js';
import { specHashesFromPlan } from '../../src/audit/spec-hashes.js';
import type { ExecutionReport, OperationResult } from '../../src/reconciler/execute/execute.js';
import {
  convergedContainer,
  convergedState,
  emptyState,
  orphanContainer,
  projectFromYaml,
  service,
  withContainer,
} from '../../src/reconciler/observe/observed-builders.test-support.js';
import type { ObservedState } from '../../src/reconciler/observe/observed-state.js';
import type { Plan } from '../../src/reconciler/plan/plan.js';
import { plan } from '../../src/reconciler/plan/planner.js';
import { renderPlan } from '../../src/reconciler/plan/render-plan.js';
import { createRedactor } from '../../src/redaction/redact.js';

const PROJECT = projectFromYaml(`
name: demo
services:
  db:
    image: postgres:16
    healthcheck: { test: ["CMD", "pg_isready"], interval: 5s }
  api:
    image: acme/api:2
    depends_on: { db: { condition: service_healthy } }
`);

const SENTINEL = 'sentinel-pa55word-do-not-log';
const NOW = new Date('2025-03-08T12:00:00.000Z');

function planFor(observed: ObservedState, options: { prune?: boolean } = {}): Plan {
  return plan(PROJECT, observed, { prune: options.prune ?? false, buildHashes: {} });
}

/** Every operation succeeded, in 5 ms each, unless `overrides` says otherwise. */
function reportFor(planned: Plan, overrides: Record<number, Partial<OperationResult>> = {}): ExecutionReport {
  const results = planned.operations.map((operation): OperationResult => ({ id: operation.id, status: 'succeeded', durationMs: 5, ...overrides[operation.id] }));
  const totals = { succeeded: 0, failed: 0, skipped: 0, abandoned: 0, unneeded: 0 };
  for (const result of results) totals[result.status] += 1;
  return { results, totals, durationMs: 100 };
}

function contextFor(planned: Plan, observed: ObservedState): AuditContext {
  return {
    actor: 'apply',
    user: 'alice@host',
    manifestCommit: 'c0ffee',
    specHashes: specHashesFromPlan(planned, observed.containers),
    now: () => NOW,
    redactor: createRedactor({ key: 'test' }),
  };
}

describe('audit entries from a plan and its report', () => {
  it('a fresh start must give one entry per mutating operation, waits left out', () => {
    const observed = emptyState('demo');
    const planned = planFor(observed);
    expect(renderPlan(planned)).toContain('wait container:demo-db-1');
    const entries = auditEntriesOf(planned, reportFor(planned), contextFor(planned, observed));

    expect(entries.map((entry) => `${entry.action} ${entry.resource}`)).toEqual(
      planned.operations.filter((operation) => operation.kind !== 'wait').map((operation) => `${operation.kind} ${operation.resourceId}`),
    );
    expect(entries.some((entry) => entry.action === 'wait')).toBe(false);
    const createApi = entries.find((entry) => entry.action === 'create-container' && entry.resource === 'container:demo-api-1');
    expect(createApi).toEqual({
      time: '2025-03-08T12:00:00.000Z',
      actor: 'apply',
      user: 'alice@host',
      project: 'demo',
      service: 'api',
      action: 'create-container',
      resource: 'container:demo-api-1',
      cause: 'not found',
      specHashBefore: null,
      specHashAfter: service(PROJECT, 'api').specHash,
      result: 'succeeded',
      error: null,
      manifestCommit: 'c0ffee',
      durationMs: 5,
    });
    const network = entries.find((entry) => entry.action === 'create-network');
    expect(network).toMatchObject({ service: null, resource: 'network:demo_default', specHashBefore: null, specHashAfter: null });
  });

  it('a recreate must record the spec hash before and after on each of its operations', () => {
    const observed = withContainer(convergedState(PROJECT), convergedContainer(PROJECT, 'api', 1, { specHash: 'old-hash' }));
    const planned = planFor(observed);
    const entries = auditEntriesOf(planned, reportFor(planned), contextFor(planned, observed));
    const api = entries.filter((entry) => entry.resource === 'container:demo-api-1');
    // A rollout: aside, create, start, stop and remove the old one; then its fallbacks (remove, rename back, start).
    expect(api.map((entry) => entry.action)).toEqual([
      'rename-container',
      'create-container',
      'start-container',
      'stop-container',
      'remove-container',
      'remove-container',
      'rename-container',
      'start-container',
      // and the rollout's outcome
      'rollout',
    ]);
    for (const entry of api) {
      expect(entry).toMatchObject({ specHashBefore: 'old-hash', specHashAfter: service(PROJECT, 'api').specHash });
      expect(entry.cause).toMatch(/^(spec changed|rollout)/);
    }
  });

  it.each([
    ['its monitor fails', 'rolled-back', `new container unhealthy after 12 s: password ${SENTINEL}`],
    ['everything holds', 'succeeded', null],
  ] as const)('a rollout whose %s must be one entry with both container ids, both spec hashes and the outcome %s', (_case, result, evidence) => {
    const secretProject = projectFromYaml(`
name: demo
services:
  api:
    image: acme/api:2
    environment: { DB_PASSWORD: ${SENTINEL} }
`);
    const observed = withContainer(convergedState(secretProject), convergedContainer(secretProject, 'api', 1, { specHash: 'old-hash', id: 'a'.repeat(64) }));
    const planned = plan(secretProject, observed, { prune: false, buildHashes: {} });
    const rollout = planned.rollouts![0]!;
    const create = planned.operations.find((operation) => operation.kind === 'create-container')!;
    const wait = planned.operations.find((operation) => operation.kind === 'wait')!;
    const overrides: Record<number, Partial<OperationResult>> = { [create.id]: { containerId: 'b'.repeat(64) } };
    if (evidence === null) for (const id of rollout.fallbacks) overrides[id] = { status: 'unneeded' };
    else overrides[wait.id] = { status: 'failed', error: evidence };
    // A failed wait skips what follows it.
    if (evidence !== null) for (const operation of planned.operations) if (operation.dependsOn.includes(wait.id)) overrides[operation.id] = { status: 'skipped' };
    const entries = auditEntriesOf(planned, reportFor(planned, overrides), { ...contextFor(planned, observed), services: secretProject.services });
    const entry = entries.find((candidate) => candidate.action === 'rollout');
    expect(entry).toMatchObject({
      service: 'api',
      resource: 'container:demo-api-1',
      specHashBefore: 'old-hash',
      specHashAfter: service(secretProject, 'api').specHash,
      result,
      containers: { before: 'a'.repeat(64), after: 'b'.repeat(64) },
    });
    expect(JSON.stringify(entries)).not.toContain(SENTINEL);
    if (evidence !== null) expect(entry?.error).toMatch(/^new container unhealthy after 12 s: password <redacted/);
  });

  it('a pruned orphan must record its spec hash before and none after', () => {
    const base = convergedState(PROJECT);
    const observed = { ...base, containers: [...base.containers, orphanContainer('demo', 'old')] };
    const planned = planFor(observed, { prune: true });
    const entries = auditEntriesOf(planned, reportFor(planned), contextFor(planned, observed));
    expect(entries.find((entry) => entry.action === 'remove-container')).toMatchObject({
      resource: 'container:demo-old-1',
      specHashBefore: 'spec-of-a-removed-service',
      specHashAfter: null,
    });
  });

  it('each entry must carry its own result, error and duration from the report', () => {
    const observed = emptyState('demo');
    const planned = planFor(observed);
    const createDb = planned.operations.find((operation) => operation.kind === 'create-container' && operation.service === 'db');
    const startApi = planned.operations.find((operation) => operation.kind === 'start-container' && operation.service === 'api');
    if (!createDb || !startApi) throw new Error('expected plan operations are missing');
    const report = reportFor(planned, {
      [createDb.id]: { status: 'failed', error: 'no space left on device', durationMs: 42 },
      [startApi.id]: { status: 'abandoned', error: 'stopped before it started', durationMs: 0 },
    });
    const entries = auditEntriesOf(planned, report, contextFor(planned, observed));
    expect(entries.find((entry) => entry.action === 'create-container' && entry.service === 'db')).toMatchObject({
      result: 'failed',
      error: 'no space left on device',
      durationMs: 42,
    });
    expect(entries.find((entry) => entry.action === 'start-container' && entry.service === 'api')).toMatchObject({
      result: 'abandoned',
      error: 'stopped before it started',
    });
  });

  it('the project must default to the plan project, and be overridable', () => {
    const observed = emptyState('demo');
    const planned = planFor(observed);
    const entries = auditEntriesOf(planned, reportFor(planned), { ...contextFor(planned, observed), project: 'other' });
    expect(new Set(entries.map((entry) => entry.project))).toEqual(new Set(['other']));
  });
});

describe('audit entries: redaction', () => {
  it('a secret in a cause or an error must never reach an entry, but a marker must', () => {
    const observed = emptyState('demo');
    const planned = planFor(observed);
    const [first, second, third] = planned.operations.filter((operation) => operation.kind !== 'wait');
    if (!first || !second || !third) throw new Error('expected three mutating operations');
    first.cause = `image pulled from https://deploy:${SENTINEL}@registry.example.com/acme/api`;
    const report = reportFor(planned, {
      [second.id]: { status: 'failed', error: `connect postgres://app:${SENTINEL}@db:5432/app refused` },
      [third.id]: { status: 'failed', error: `container exited: DB_PASSWORD=${SENTINEL} API_TOKEN="${SENTINEL}" MODE=fast` },
    });
    const redactor = createRedactor({ key: 'test' });
    const entries = auditEntriesOf(planned, report, { ...contextFor(planned, observed), redactor });

    expect(JSON.stringify(entries)).not.toContain(SENTINEL);
    const marker = redactor.marker(SENTINEL);
    expect(entries[0]?.cause).toBe(`image pulled from https://deploy:${marker}@registry.example.com/acme/api`);
    expect(entries[1]?.error).toBe(`connect postgres://app:${marker}@db:5432/app refused`);
    expect(entries[2]?.error).toBe(`container exited: DB_PASSWORD=${marker} API_TOKEN="${marker}" MODE=fast`);
  });

  it('an entry built from fields must have its cause and error redacted too', () => {
    const entry = buildAuditEntry(
      {
        time: NOW,
        actor: 'backup',
        user: 'root@host',
        project: 'demo',
        service: 'db',
        action: 'backup-volume',
        resource: 'volume:demo_data',
        cause: `schedule; upload to s3://key:${SENTINEL}@bucket/demo`,
        specHashBefore: null,
        specHashAfter: null,
        result: 'failed',
        error: `SECRET_KEY=${SENTINEL}`,
        manifestCommit: null,
        durationMs: 1.6,
      },
      { redactor: createRedactor({ key: 'test' }) },
    );
    expect(JSON.stringify(entry)).not.toContain(SENTINEL);
    expect(entry.durationMs).toBe(2);
    expect(entry.time).toBe('2025-03-08T12:00:00.000Z');
  });

  it('the user must default to user@host of this process', () => {
    const observed = emptyState('demo');
    const planned = planFor(observed);
    const { user: _unused, ...withoutUser } = contextFor(planned, observed);
    const [entry] = auditEntriesOf(planned, reportFor(planned), withoutUser);
    expect(entry?.user).toMatch(/^[^@\s]+@[^@\s]+$/);
  });
});
