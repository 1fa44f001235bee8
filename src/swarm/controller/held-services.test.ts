import { describe, expect, it } from 'vitest';
import { SPEC_HASH } from '../model/swarm-labels.js';
import type { ServiceSpec } from '../mapping/swarm-types.js';
import { renderSwarmPlan, type SwarmOperation, type SwarmPlan } from '../plan/swarm-plan.js';
import { withoutHeldServices } from './held-services.js';

// A service whose spec failed is left out of the plan until its spec changes; the waits only it needed go too.

const spec = (name: string, hash: string) => ({ Name: `p_${name}`, Labels: { [SPEC_HASH]: hash } }) as unknown as ServiceSpec;
const update = (service: string, hash: string, dependsOn: string[] = []): SwarmOperation => ({ kind: 'update-service', resourceId: `service:p_${service}`, cause: 'spec differs', dependsOn, service, serviceId: service, version: 1, spec: spec(service, hash) });
const wait = (service: string, dependsOn: string[]): SwarmOperation => ({ kind: 'wait-service', resourceId: `wait:p_${service}`, cause: 'running', dependsOn, service, condition: 'running' });
// notes: what the plan leaves as it is (on the execution branch; extra here)
const plan = (...operations: SwarmOperation[]): SwarmPlan => ({ projectName: 'p', operations, problems: [], notes: [] }) as SwarmPlan;

describe('withoutHeldServices', () => {
  it.each<[name: string, plan: SwarmPlan, held: Record<string, string>, expected: string, heldServices: string[]]>([
    ['nothing held: the plan as it is', plan(update('api', 'h2'), wait('api', ['service:p_api'])), {}, 'update-service service:p_api (spec differs)\nwait-service wait:p_api (running) after service:p_api', []],
    ['the failed spec again: no update, no wait', plan(update('api', 'h2'), wait('api', ['service:p_api'])), { api: 'h2' }, 'nothing to do', ['api']],
    ['another spec than the failed one: tried', plan(update('api', 'h3'), wait('api', ['service:p_api'])), { api: 'h2' }, 'update-service service:p_api (spec differs)\nwait-service wait:p_api (running) after service:p_api', []],
    [
      'a dependency held: its dependent still waits for it (as it runs)',
      plan(update('db', 'd2'), update('api', 'a2', ['wait:p_db']), wait('db', ['service:p_db']), wait('api', ['service:p_api'])),
      { db: 'd2' },
      'update-service service:p_api (spec differs) after wait:p_db\nwait-service wait:p_db (running) after service:p_db\nwait-service wait:p_api (running) after service:p_api',
      ['db'],
    ],
  ])('%s', (_name, input, held, expected, heldServices) => {
    const result = withoutHeldServices(input, held);
    expect(renderSwarmPlan(result.plan)).toBe(expected);
    expect(result.heldServices).toEqual(heldServices);
  });
});
