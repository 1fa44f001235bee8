import { describe, expect, it } from 'vitest';
import { convergedContainer, convergedState, planText, projectFromYaml, withContainer } from '../../observe/observed-builders.test-support.js';
import type { ObservedState } from '../../observe/observed-state.js';
import type { Project } from '../../../desired-state/model.js';
import { rolloutSettings } from './rollout-settings.js';
import { plan } from '../planner.js';

// How update_config shapes the plan of a service with replicas: batches, the gates between them, and the
// ways back each failure action plans.

function replicated(updateConfig: string, replicas = 3): Project {
  return projectFromYaml(`
name: demo
services:
  api:
    image: acme/api:2
    deploy:
      replicas: ${replicas}
      update_config: { ${updateConfig} }
  web:
    image: acme/web:1
    depends_on: { api: { condition: service_healthy } }
`);
}

/** Every replica of api runs an older spec; web runs its own. */
function olderApi(project: Project, replicas = 3, webChanged = false): ObservedState {
  let state = convergedState(project);
  for (let number = 1; number <= replicas; number++) state = withContainer(state, convergedContainer(project, 'api', number, { specHash: 'older' }));
  if (webChanged) state = withContainer(state, convergedContainer(project, 'web', 1, { specHash: 'older' }));
  return state;
}

const gateLines = (text: string) => text.split('\n').filter((line) => line.includes('rollout-gate'));
const lineOf = (text: string, id: number) => text.split('\n').find((line) => line.startsWith(`[${id}] `)) ?? '';

describe('plan: a rollout of replicas in batches', () => {
  it.each<[string, string, string[]]>([
    [
      'parallelism 1 with rollback must gate each batch, tolerating no failure',
      'parallelism: 1, monitor: 1s',
      ['tolerate=0/3 (rollout: batch 1 must hold before the next batch)', 'tolerate=0/3 (rollout: batch 2 must hold before the next batch)', 'tolerate=0/3 (rollout: batch 3 must hold before the old containers go)'],
    ],
    [
      'max_failure_ratio 0.34 of 3 must tolerate one failed replica',
      'parallelism: 2, monitor: 1s, max_failure_ratio: 0.34',
      ['tolerate=1/3 (rollout: batch 1 must hold before the next batch)', 'tolerate=1/3 (rollout: batch 2 must hold before the old containers go)'],
    ],
    [
      'delay must hold every batch but the last',
      'parallelism: 1, monitor: 1s, delay: 5s',
      ['tolerate=0/3 delay=5s', 'tolerate=0/3 delay=5s', 'tolerate=0/3 (rollout: batch 3'],
    ],
    ['continue must tolerate every replica', 'parallelism: 2, monitor: 1s, failure_action: continue', ['tolerate=3/3', 'tolerate=3/3']],
  ])('%s', (_name, updateConfig, expected) => {
    const project = replicated(updateConfig);
    const gates = gateLines(planText(project, olderApi(project)));
    expect(gates).toHaveLength(expected.length);
    expected.forEach((fragment, index) => expect(gates[index]).toContain(fragment));
  });

  it('a single replica must roll out without a gate (its own way back is the rollback)', () => {
    const project = replicated('monitor: 1s', 1);
    expect(gateLines(planText(project, olderApi(project, 1)))).toEqual([]);
  });

  it.each<[string, string, (gates: number[]) => number[][]]>([
    // batch 1's replica goes back when its own gate or any later one fails
    ['rollback must send a proven batch back when any later gate fails', 'failure_action: rollback', (gates) => [gates, gates.slice(1), gates.slice(2)]],
    // pause: only the batch whose gate failed goes back; the batches before stay
    ['pause must send back only the batch whose gate failed', 'failure_action: pause', (gates) => [[gates[0]!], [gates[1]!], [gates[2]!]]],
    ['continue must plan no batch way back', 'failure_action: continue', () => []],
  ])('%s', (_name, action, expected) => {
    const project = replicated(`parallelism: 1, monitor: 1s, ${action}`);
    const built = plan(project, olderApi(project), { prune: false, buildHashes: {} });
    const gates = built.operations.filter((operation) => operation.kind === 'rollout-gate').map(({ id }) => id);
    const batchWaysBack = built.operations
      .filter((operation) => operation.onFailureOf !== undefined && operation.kind === 'remove-container' && operation.onFailureOf.every((id) => gates.includes(id)))
      .map((operation) => operation.onFailureOf);
    expect(batchWaysBack).toEqual(expected(gates));
  });

  it('each batch must start only after the gate of the batch before passed (each replica held for its monitor first)', () => {
    const project = replicated('parallelism: 1, monitor: 3s');
    const built = plan(project, olderApi(project), { prune: false, buildHashes: {} });
    const gates = built.operations.filter((operation) => operation.kind === 'rollout-gate');
    const asides = built.operations.filter((operation) => operation.kind === 'rename-container' && operation.onFailureOf === undefined);
    expect(asides.map((operation) => operation.dependsOn.filter((id) => gates.some((gate) => gate.id === id)))).toEqual([[], [gates[0]!.id], [gates[1]!.id]]);
    const monitors = built.operations.filter((operation) => operation.kind === 'wait' && operation.monitorSeconds === 3).map(({ id }) => id);
    expect(gates.map((gate) => gate.kind === 'rollout-gate' && gate.watched)).toEqual([monitors.slice(0, 1), monitors.slice(0, 2), monitors]);
  });

  it('a service_healthy dependent must wait for the replacement to prove itself, not for its start', () => {
    const project = replicated('monitor: 4s', 1);
    const text = planText(project, olderApi(project, 1, true));
    const dependentWait = text.split('\n').find((line) => line.includes('needed by web'))!;
    const after = Number(/after \[(\d+)\]/.exec(dependentWait)?.[1]);
    expect(lineOf(text, after)).toContain('wait container:demo-api-1 condition=running monitor=4s');
  });

  it('with replicas, a service_healthy dependent must wait for the gate that decides the rollout', () => {
    const project = replicated('parallelism: 1, monitor: 1s');
    const text = planText(project, olderApi(project, 3, true));
    const dependentWaits = text.split('\n').filter((line) => line.includes('needed by web'));
    expect(dependentWaits).toHaveLength(3);
    for (const line of dependentWaits) expect(lineOf(text, Number(/after \[(\d+)\]/.exec(line)?.[1]))).toContain('must hold before the old containers go');
  });
});

describe('rolloutSettings: failure_action and rollback_config', () => {
  const project = projectFromYaml(`
name: demo
services:
  api:
    image: acme/api:2
    deploy:
      update_config: { failure_action: pause, delay: 2s, parallelism: 2 }
      rollback_config: { failure_action: continue, parallelism: 3 }
`);
  const service = project.services['api']!;
  it.each<[string, boolean, { failureAction: string; parallelism: number; delaySeconds: number }]>([
    ['an update must follow update_config (pause is kept as pause)', false, { failureAction: 'pause', parallelism: 2, delaySeconds: 2 }],
    ['a rollback must follow rollback_config', true, { failureAction: 'continue', parallelism: 3, delaySeconds: 0 }],
  ])('%s', (_name, rollback, expected) => {
    expect(rolloutSettings(project, service, { rollback })).toMatchObject(expected);
  });
});
