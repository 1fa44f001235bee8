import { describe, expect, it } from 'vitest';
import type { SwarmPort } from '../engine/swarm-port.js';
import type { ServiceSpec } from '../mapping/swarm-types.js';
import { service } from '../observe/observed-swarm.test-support.js';
import type { SwarmPlan } from '../plan/swarm-plan.js';
import { executeSwarm } from './execute-swarm.js';

// The executor against a fake port that records its calls: Swarm's rollback of an update is that wait's
// outcome, and the dependents are not touched.

const spec = (name: string) => ({ Name: name, Labels: {}, TaskTemplate: { ContainerSpec: { Image: 'busybox' } }, Mode: { Replicated: { Replicas: 1 } } }) as ServiceSpec;

const plan: SwarmPlan = {
  projectName: 'demo',
  problems: [],
  notes: [],
  operations: [
    { kind: 'update-service', resourceId: 'service:demo_db', cause: 'spec differs', dependsOn: [], service: 'db', serviceId: 'db1', version: 3, spec: spec('demo_db') },
    { kind: 'update-service', resourceId: 'service:demo_web', cause: 'spec differs', dependsOn: ['wait:demo_db'], service: 'web', serviceId: 'web1', version: 4, spec: spec('demo_web') },
    { kind: 'wait-service', resourceId: 'wait:demo_db', cause: '', dependsOn: ['service:demo_db'], service: 'db', condition: 'running', specHash: 'new', previousSpecHash: 'old' },
    { kind: 'remove-file-object', resourceId: 'config:demo_conf_old', cause: 'old version', dependsOn: ['wait:demo_db'], fileKind: 'config', objectId: 'c1' },
  ],
};

function fakePort(calls: string[]): SwarmPort {
  const refuse = () => Promise.reject(new Error('not expected'));
  return {
    observe: refuse,
    observeService: async () => service({ updateState: 'rollback_completed', updateMessage: 'update rolled back due to failure or early termination of task x', labels: { 'io.composelet.spec-hash': 'old' } }),
    createNetwork: refuse,
    createFileObject: refuse,
    createService: refuse,
    updateService: async (serviceId) => void calls.push(`update ${serviceId}`),
    removeService: refuse,
    removeNetwork: refuse,
    removeFileObject: async (kind, id) => void calls.push(`remove ${kind} ${id}`),
  };
}

describe('executeSwarm', () => {
  it('must report Swarm\'s rollback as rolled-back and skip what depends on the rolled-back service', async () => {
    const calls: string[] = [];
    const outcomes = await executeSwarm(plan, fakePort(calls), { timeoutMs: 5_000, pollMs: 1 });
    expect(calls).toEqual(['update db1']);
    expect(outcomes).toEqual([
      { resourceId: 'service:demo_db', result: 'succeeded' },
      { resourceId: 'service:demo_web', result: 'skipped', message: 'wait:demo_db rolled-back' },
      {
        resourceId: 'wait:demo_db',
        result: 'rolled-back',
        message: 'db: Swarm rolled the update back (rollback_completed): update rolled back due to failure or early termination of task x',
        service: 'db',
        specHash: 'new',
        previousSpecHash: 'old',
      },
      { resourceId: 'config:demo_conf_old', result: 'skipped', message: 'wait:demo_db rolled-back' },
    ]);
  });
});
