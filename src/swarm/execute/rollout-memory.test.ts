import { describe, expect, it } from 'vitest';
import type { SwarmPlan } from '../plan/swarm-plan.js';
import { refusalLines, swarmFailureChanges } from './rollout-memory.js';
import type { SwarmOutcome } from './swarm-outcome.js';

const plan: SwarmPlan = {
  projectName: 'demo',
  problems: [],
  notes: [],
  operations: [
    { kind: 'wait-service', resourceId: 'wait:demo_db', cause: '', dependsOn: [], service: 'db', condition: 'running', specHash: 'db2', previousSpecHash: 'db1' },
    { kind: 'wait-service', resourceId: 'wait:demo_web', cause: '', dependsOn: [], service: 'web', condition: 'running', specHash: 'web2', previousSpecHash: null },
    { kind: 'wait-service', resourceId: 'wait:demo_cache', cause: '', dependsOn: [], service: 'cache', condition: 'running' },
  ],
};
const at = new Date('2026-12-01T10:00:00Z');

describe('swarmFailureChanges', () => {
  it.each<[string, SwarmOutcome[], ReturnType<typeof swarmFailureChanges>]>([
    [
      'a rollback is remembered with the spec that failed and the one that runs',
      [{ resourceId: 'wait:demo_db', result: 'rolled-back', message: 'db: rolled back', service: 'db', specHash: 'db2', previousSpecHash: 'db1' }],
      { failed: { db: { specHash: 'db2', previousSpecHash: 'db1', reason: 'db: rolled back', at: '2026-12-01T10:00:00.000Z' } }, succeeded: [] },
    ],
    [
      'a pause is remembered as paused',
      [{ resourceId: 'wait:demo_web', result: 'paused', message: 'web: paused', service: 'web', specHash: 'web2', previousSpecHash: null }],
      { failed: { web: { specHash: 'web2', previousSpecHash: null, reason: 'web: paused', at: '2026-12-01T10:00:00.000Z', state: 'paused' } }, succeeded: [] },
    ],
    [
      'a successful wait after composelet\'s update forgets; a wait on an untouched service and a timeout do not',
      [
        { resourceId: 'wait:demo_web', result: 'succeeded' },
        { resourceId: 'wait:demo_db', result: 'failed', message: 'not running in time' },
        { resourceId: 'wait:demo_cache', result: 'succeeded' },
      ],
      { failed: {}, succeeded: ['web'] },
    ],
  ])('%s', (_name, outcomes, expected) => {
    expect(swarmFailureChanges(plan, outcomes, at)).toEqual(expected);
  });

  it('says why apply refuses, per service', () => {
    expect(refusalLines('demo', { db: { specHash: 'db2', previousSpecHash: 'db1', reason: 'db: rolled back', at: 'T' } })).toEqual([
      'project demo: db: this spec was rolled back by Swarm before (T): db: rolled back',
    ]);
  });
});
