import { describe, expect, it } from 'vitest';
import { convergedContainer, convergedState, lines, planText, projectFromYaml, withContainer } from '../../observe/observed-builders.test-support.js';

// A suspension (`composelet suspend`) as a planner input: nothing is planned for a suspended service (not
// a heal, a recreate nor a create), a note says who suspended it and why; the other services go on.

const STACK = projectFromYaml(`
name: demo
services:
  db:
    image: postgres:16
    restart: unless-stopped
  api:
    image: acme/api:1
    restart: unless-stopped
    depends_on: [db]
`);
const HELD = 'suspended by ops@host until 2026-03-01T11:00:00.000Z: maintenance';

describe('plan: suspended services', () => {
  it('a suspended service stopped by hand must not be started', () => {
    const state = withContainer(convergedState(STACK), convergedContainer(STACK, 'db', 1, { state: 'exited', exitCode: 0 }));
    expect(planText(STACK, state, { suspended: { project: null, services: { db: HELD } } })).toBe(
      lines(`
        no changes
        - container:demo-db-1: ${HELD}
      `),
    );
  });

  it('a suspended service whose spec changed must not be recreated, and a removed one not created', () => {
    const changed = projectFromYaml(`
name: demo
services:
  db:
    image: postgres:17
    restart: unless-stopped
  api:
    image: acme/api:1
    restart: unless-stopped
    depends_on: [db]
`);
    const withoutDb = { ...convergedState(STACK), containers: convergedState(STACK).containers.filter((container) => container.service !== 'db') };
    expect(planText(changed, convergedState(STACK), { suspended: { project: null, services: { db: HELD } } })).not.toContain('create-container');
    expect(planText(STACK, withoutDb, { suspended: { project: null, services: { db: HELD } } })).not.toContain('create-container');
  });

  it('the services not suspended must still be healed', () => {
    const state = withContainer(convergedState(STACK), convergedContainer(STACK, 'api', 1, { state: 'exited', exitCode: 1 }));
    expect(planText(STACK, state, { suspended: { project: null, services: { db: HELD } } })).toContain('start-container container:demo-api-1 (exited (1))');
  });

  it('a suspended project must get no operation at all', () => {
    const state = withContainer(convergedState(STACK), convergedContainer(STACK, 'api', 1, { state: 'exited', exitCode: 1 }));
    expect(planText(STACK, state, { suspended: { project: HELD, services: { api: HELD, db: HELD } } })).toBe(
      lines(`
        no changes
        - project:demo: ${HELD}
      `),
    );
  });
});
