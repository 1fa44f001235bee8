import { describe, expect, it } from 'vitest';
import type { ContainerInspect } from '../../src/engine/engine-port.js';
import { countBrokenLines } from '../../bench/chaos/invariants.js';
import { parseChaosArguments } from '../../bench/chaos/options.js';
import { seededRandom } from '../../bench/chaos/random.js';
import { kindRow, summarizeRun, type FaultRecord } from '../../bench/chaos/report.js';
import { FAULT_KINDS, planFaults, RECREATE_STEPS, SHARED_ENGINE_KINDS } from '../../bench/chaos/schedule.js';
import { chaosStack, EDITED_VARIABLE, MEMORY_LIMIT_BYTES } from '../../bench/chaos/stack.js';
import { duplicateCounts, oneShotProblems, serviceProblems, strayContainers, type WorldSnapshot } from '../../bench/chaos/world.js';

const SERVICES = ['svc-000', 'svc-001', 'svc-002', 'svc-003', 'svc-004', 'svc-005'];

describe('the chaos schedule', () => {
  it('must be the same for the same seed and differ for another', () => {
    const options = { faults: 50, kinds: FAULT_KINDS, services: SERVICES, burstSize: { minimum: 1, maximum: 4 } };
    expect(planFaults({ ...options, seed: 7 })).toEqual(planFaults({ ...options, seed: 7 }));
    expect(planFaults({ ...options, seed: 8 })).not.toEqual(planFaults({ ...options, seed: 7 }));
  });

  it.each([1, 2, 3, 99])('seed %i must give the asked number of faults, a service at most once per burst, crash-recreate first', (seed) => {
    const faults = planFaults({ seed, faults: 40, kinds: FAULT_KINDS, services: SERVICES, burstSize: { minimum: 1, maximum: 4 } });
    expect(faults).toHaveLength(40);
    expect(faults.map((fault) => fault.index)).toEqual([...Array(40).keys()]);
    for (const burst of new Set(faults.map((fault) => fault.burst))) {
      const inBurst = faults.filter((fault) => fault.burst === burst);
      const services = inBurst.map((fault) => fault.service).filter((service) => service !== null);
      expect(new Set(services).size).toBe(services.length);
      expect(inBurst.length).toBeLessThanOrEqual(4);
      const crash = inBurst.findIndex((fault) => fault.kind === 'crash-recreate');
      if (crash >= 0) expect(crash).toBe(0);
    }
    for (const fault of faults) {
      expect(fault.service === null).toBe(fault.kind === 'controller-kill' || fault.kind === 'engine-restart');
      expect(fault.crashAt !== null).toBe(fault.kind === 'crash-recreate');
    }
  });

  it('must crash before every step of a recreate in turn', () => {
    const faults = planFaults({ seed: 5, faults: 10, kinds: ['crash-recreate'], services: SERVICES, burstSize: { minimum: 1, maximum: 1 } });
    expect(faults.map((fault) => fault.crashAt)).toEqual([...RECREATE_STEPS, ...RECREATE_STEPS].map((step) => `${step}:1`));
  });

  it.each([4, 11, 12])('seed %i must give an engine restart a burst of its own, aimed at no service', (seed) => {
    const faults = planFaults({ seed, faults: 40, kinds: ['engine-restart', 'kill', 'pause'], services: SERVICES, burstSize: { minimum: 1, maximum: 4 } });
    const restarts = faults.filter((fault) => fault.kind === 'engine-restart');
    expect(restarts.length).toBeGreaterThan(0);
    for (const restart of restarts) {
      expect(restart.service).toBeNull();
      expect(faults.filter((fault) => fault.burst === restart.burst)).toEqual([restart]);
    }
  });

  it('seed 1 must give the engine-restart CI test two engine restarts, then a kill', () => {
    const faults = planFaults({ seed: 1, faults: 3, kinds: ['engine-restart', 'kill'], services: SERVICES.slice(0, 4), burstSize: { minimum: 1, maximum: 2 } });
    expect(faults.map((fault) => fault.kind)).toEqual(['engine-restart', 'engine-restart', 'kill']);
  });

  it('must make an engine restart as frequent per burst as any kind per fault, whatever the burst size', () => {
    const faults = planFaults({ seed: 77, faults: 3_000, kinds: FAULT_KINDS, services: [...SERVICES, 'svc-006', 'svc-007'], burstSize: { minimum: 4, maximum: 8 } });
    const bursts = new Set(faults.map((fault) => fault.burst)).size;
    const restarts = faults.filter((fault) => fault.kind === 'engine-restart').length;
    // 1 in 11 bursts (one kind of 11); drawn per fault slot it was about 1 in 2.
    expect(restarts / bursts).toBeGreaterThan(0.05);
    expect(restarts / bursts).toBeLessThan(0.14);
  });

  it('must give the same schedule as before for kinds without engine restarts', () => {
    const options = { seed: 2026, faults: 30, services: SERVICES, burstSize: { minimum: 1, maximum: 4 } };
    const shared = SHARED_ENGINE_KINDS;
    expect(planFaults({ ...options, kinds: shared }).every((fault) => fault.kind !== 'engine-restart')).toBe(true);
    expect(planFaults({ ...options, kinds: shared })).toEqual(planFaults({ ...options, kinds: [...shared] }));
  });

  it('must draw from the given kinds only', () => {
    const faults = planFaults({ seed: 3, faults: 30, kinds: ['kill', 'rename'], services: SERVICES, burstSize: { minimum: 1, maximum: 4 } });
    expect(new Set(faults.map((fault) => fault.kind))).toEqual(new Set(['kill', 'rename']));
  });

  it('must give floats in [0, 1) and integers within bounds', () => {
    const random = seededRandom(123);
    for (let index = 0; index < 1_000; index += 1) {
      const value = random.next();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
      expect(random.integer(2, 4)).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(Array.from({ length: 200 }, () => random.integer(1, 3)))).toEqual(new Set([1, 2, 3]));
  });
});

describe('the chaos stack', () => {
  it('must keep sentinels in named and anonymous volumes and mount the one-shot log read-only', () => {
    const stack = chaosStack({ services: 6 });
    expect(stack.services.map((service) => [service.name, service.namedVolume, service.anonymousVolume])).toEqual([
      ['svc-000', null, false],
      ['svc-001', 'data-svc-001', false],
      ['svc-002', null, true],
      ['svc-003', null, false],
      ['svc-004', 'data-svc-004', false],
      ['svc-005', null, true],
    ]);
    const document = stack.document(new Map([['svc-002', 3]])) as { services: Record<string, Record<string, unknown>> };
    expect(document.services['svc-002']).toMatchObject({ volumes: ['/anon'], restart: 'unless-stopped', environment: { [EDITED_VARIABLE]: '3' } });
    expect(document.services['svc-000']).toMatchObject({ volumes: ['once-log:/once:ro'], depends_on: { once: { condition: 'service_completed_successfully' } } });
    expect(document.services['once']).toMatchObject({ restart: 'no', volumes: ['once-log:/log'] });
  });
});

function container(overrides: { name: string; service: string; status?: string; health?: string; env?: string[]; memory?: number; networks?: string[] }): ContainerInspect {
  return {
    Id: `${overrides.name}-id`,
    Name: `/${overrides.name}`,
    Created: '',
    Image: '',
    State: { Status: overrides.status ?? 'running', Running: (overrides.status ?? 'running') === 'running', ExitCode: 0, StartedAt: '', FinishedAt: '', ...(overrides.health ? { Health: { Status: overrides.health } } : {}) },
    Config: { Image: '', Labels: { 'com.docker.compose.service': overrides.service }, Env: overrides.env ?? [`${EDITED_VARIABLE}=0`], Cmd: null, Entrypoint: null },
    HostConfig: { Memory: overrides.memory ?? MEMORY_LIMIT_BYTES },
    Mounts: [],
    NetworkSettings: { Networks: Object.fromEntries((overrides.networks ?? ['p_backend']).map((network) => [network, { Aliases: null, NetworkID: network }])) },
  };
}

const world = (...containers: ContainerInspect[]): WorldSnapshot => ({ at: 0, containers });
const expected = { service: 'api', generation: 0, healthcheck: true };

describe('what the chaos run calls converged', () => {
  it.each([
    ['as desired', [container({ name: 'p-api-1', service: 'api', health: 'healthy' })], []],
    ['missing', [], ['api: 0 containers']],
    ['twice', [container({ name: 'p-api-1', service: 'api', health: 'healthy' }), container({ name: '0123456789ab_p-api-1', service: 'api' })], ['api: 2 containers']],
    ['renamed', [container({ name: 'p-api-1-renamed-3', service: 'api', health: 'healthy' })], ['api: named p-api-1-renamed-3']],
    ['paused', [container({ name: 'p-api-1', service: 'api', status: 'paused', health: 'healthy' })], ['api: paused']],
    ['starting', [container({ name: 'p-api-1', service: 'api', health: 'starting' })], ['api: health starting']],
    ['an old generation', [container({ name: 'p-api-1', service: 'api', health: 'healthy', env: [`${EDITED_VARIABLE}=1`] })], ['api: not generation 0']],
    ['a changed limit', [container({ name: 'p-api-1', service: 'api', health: 'healthy', memory: 2 * MEMORY_LIMIT_BYTES })], [`api: memory ${2 * MEMORY_LIMIT_BYTES}`]],
    ['disconnected', [container({ name: 'p-api-1', service: 'api', health: 'healthy', networks: [] })], ['api: not on backend']],
  ])('a service %s', (_, containers, problems) => {
    expect(serviceProblems(world(...containers), 'p', expected)).toEqual(problems);
  });

  it('must find temporary replacements and duplicates', () => {
    const snapshot = world(container({ name: 'p-api-1', service: 'api' }), container({ name: '0123456789ab_p-api-1', service: 'api' }), container({ name: 'p-web-1', service: 'web' }));
    expect(strayContainers(snapshot)).toEqual(['0123456789ab_p-api-1']);
    expect([...duplicateCounts(snapshot, ['api', 'web'])]).toEqual([['api', 1]]);
  });

  it.each([
    ['completed', [container({ name: 'p-once-1', service: 'once', status: 'exited' })], []],
    ['missing', [], ['once: 0 containers']],
    ['running again', [container({ name: 'p-once-1', service: 'once', status: 'running' })], ['once: running (0)']],
  ])('the one-shot %s', (_, containers, problems) => {
    expect(oneShotProblems(world(...containers))).toEqual(problems);
  });
});

describe('the chaos report', () => {
  it.each([
    ['{"a":1}\n{"b":2}\n', 0],
    ['{"a":1}\n{"b":', 1],
    ['{"a":1}\n\n[1]\nnot json\n', 2],
  ])('audit text %j must have %i broken lines', (text, broken) => {
    expect(countBrokenLines(text)).toBe(broken);
  });

  const record = (kind: FaultRecord['kind'], outcome: FaultRecord['outcome'], healMs: number | null, extra: Partial<FaultRecord> = {}): FaultRecord => ({
    index: 0, burst: 0, kind, service: 'svc-000', crashAt: null, delayMs: 0, outcome, healMs, detail: null, duplicates: 0, dataLost: 0, ...extra,
  });

  it('must count outcomes, heal percentiles, duplicates and data lost per kind', () => {
    const row = kindRow('rm', [record('rm', 'healed', 100), record('rm', 'healed', 300, { dataLost: 1 }), record('rm', 'not-healed', null, { duplicates: 1 }), record('rm', 'skipped', null)]);
    expect(row).toEqual({ kind: 'rm', injected: 3, healed: 2, leftAlone: 0, notHealed: 1, skipped: 1, healP50Ms: 200, healP99Ms: 298, duplicates: 1, dataLost: 1 });
  });

  it('must add what no fault explains to the totals', () => {
    const burst = { burst: 0, converged: false, convergeMs: 1, problems: [], strays: ['x'], oneShotReruns: 1, brokenAuditLines: 2, unattributed: { duplicates: 1, dataLost: 2 }, lostSentinels: [] };
    const { rows, totals } = summarizeRun(['kill', 'pause'], [record('kill', 'healed', 50), record('pause', 'left-alone', null)], [burst]);
    expect(rows.map((row) => row.kind)).toEqual(['kill', 'pause']);
    expect(totals).toMatchObject({ injected: 2, healed: 1, leftAlone: 1, duplicates: 1, dataLost: 2, strays: 1, oneShotReruns: 1, brokenAuditLines: 2, burstsNotConverged: 1 });
  });
});

describe('npm run chaos arguments', () => {
  it('must default to 40 faults of every kind the shared engine allows, on 30 services', () => {
    expect(parseChaosArguments([])).toEqual({
      faults: 40, seed: null, services: 30, kinds: FAULT_KINDS.filter((kind) => kind !== 'engine-restart'), engine: 'shared', convergeTimeoutMs: 90_000,
      burstSize: { minimum: 1, maximum: 4 }, budgetMs: null, skipSetup: false, help: false,
    });
  });

  it('must add engine restarts to the default kinds on a private engine', () => {
    expect(parseChaosArguments(['--engine', 'private'])).toMatchObject({ engine: 'private', kinds: [...FAULT_KINDS] });
    expect(parseChaosArguments(['--engine', 'private', '--kinds', 'engine-restart,kill'])).toMatchObject({ engine: 'private', kinds: ['engine-restart', 'kill'] });
  });

  it('must read faults, seed, kinds and timeout', () => {
    expect(parseChaosArguments(['--faults', '1000', '--seed', '42', '--kinds', 'kill,rm', '--timeout', '30'])).toMatchObject({ faults: 1000, seed: 42, kinds: ['kill', 'rm'], convergeTimeoutMs: 30_000 });
  });

  it('must read the burst size and the time budget', () => {
    expect(parseChaosArguments(['--services', '12', '--burst', '3-8', '--minutes', '60'])).toMatchObject({ burstSize: { minimum: 3, maximum: 8 }, budgetMs: 3_600_000 });
  });

  it.each([
    [['--burst', '4'], /--burst: expected MIN-MAX with 1 <= MIN <= MAX, got "4"/],
    [['--burst', '0-3'], /--burst: expected MIN-MAX/],
    [['--burst', '5-3'], /--burst: expected MIN-MAX/],
    [['--services', '6', '--burst', '2-7'], /--burst: at most 6 faults per burst with --services 6/],
    [['--minutes', '0'], /--minutes: expected a whole number from 1/],
    [['--faults', '0'], /--faults: expected a whole number from 1/],
    [['--seed=-1'], /--seed: expected a whole number/],
    [['--seed', String(2 ** 32)], /--seed: expected a whole number from 0 to 4294967295/],
    [['--kinds', 'kill,reboot'], /--kinds: unknown fault kind reboot/],
    [['--kinds', 'kill,engine-restart'], /--kinds: engine-restart needs --engine private \(the shared engine is never restarted\)/],
    [['--engine', 'remote'], /--engine: expected shared or private, got "remote"/],
  ])('%j must be refused with the flag and the cause', (argv, message) => {
    expect(() => parseChaosArguments(argv)).toThrow(message);
  });
});
