import { describe, expect, it } from 'vitest';
import { emptyState, projectFromYaml, repeatedId } from '../observe/observed-builders.test-support.js';
import { PlanBuilder, type OperationDraft } from './plan-builder.js';
import { plan } from './planner.js';
import { planToJson, renderOperation, renderPlan } from './render-plan.js';

const common = (resourceId: string, cause: string) => ({ resourceId, service: 'api', cause, dependsOn: [] as number[] });
const HOOK = { command: ['sh', '-c', 'true'], user: null, privileged: false, workingDir: null, environment: {} };
const LIMITS = { memoryBytes: 1, memoryReservationBytes: null, memswapBytes: null, nanoCpus: null, cpuShares: null, pidsLimit: null };

describe('renderOperation', () => {
  it.each<[string, OperationDraft, string]>([
    [
      'a pull must name the image',
      { kind: 'pull-image', ...common('image:redis:7', 'image not present'), image: 'redis:7' },
      '[0] pull-image image:redis:7 (image not present)',
    ],
    [
      'a stop by id must show the short id, the signal and the timeout',
      { kind: 'stop-container', ...common('container:demo-api-1', 'spec changed'), container: repeatedId('c'), signal: 'SIGQUIT', timeoutSeconds: 3, preStop: [] },
      '[0] stop-container container:demo-api-1 id=cccccccccccc signal=SIGQUIT timeout=3s (spec changed)',
    ],
    [
      'a stop with pre_stop hooks must count them',
      { kind: 'stop-container', ...common('container:demo-api-1', 'down'), container: 'demo-api-1', signal: null, timeoutSeconds: 10, preStop: [HOOK, HOOK] },
      '[0] stop-container container:demo-api-1 timeout=10s pre_stop=2 (down)',
    ],
    [
      'a start with post_start hooks must count them',
      { kind: 'start-container', ...common('container:demo-api-1', 'new container'), container: 'demo-api-1', postStart: [HOOK] },
      '[0] start-container container:demo-api-1 post_start=1 (new container)',
    ],
    [
      'a start by another name must show that name',
      { kind: 'start-container', ...common('container:demo-api-1', 'new container'), container: 'other-name', postStart: [] },
      '[0] start-container container:demo-api-1 name=other-name (new container)',
    ],
    [
      'a rename to another name than the resource must show both names',
      { kind: 'rename-container', ...common('container:demo-api-1', 'moved'), container: 'a_demo-api-1', newName: 'elsewhere' },
      '[0] rename-container container:demo-api-1 from=a_demo-api-1 to=elsewhere (moved)',
    ],
    [
      'a connect with fixed addresses must show them',
      {
        kind: 'connect-network',
        ...common('container:demo-api-1', 'additional network'),
        container: 'demo-api-1',
        network: 'demo_back',
        aliases: ['api'],
        ipv4Address: '10.5.0.4',
        ipv6Address: 'fd00::4',
      },
      '[0] connect-network container:demo-api-1 network=demo_back ipv4=10.5.0.4 ipv6=fd00::4 (additional network)',
    ],
    [
      'an update must say the changes in its cause only',
      { kind: 'update-container', ...common('container:demo-api-1', 'limits changed: memory 0 -> 1'), container: 'demo-api-1', limits: LIMITS, restart: { name: 'no', maximumRetryCount: 0 }, changes: ['memory 0 -> 1'] },
      '[0] update-container container:demo-api-1 (limits changed: memory 0 -> 1)',
    ],
    [
      'a removal of a network must name it',
      { kind: 'remove-network', ...common('network:demo_default', 'down'), network: 'demo_default' },
      '[0] remove-network network:demo_default (down)',
    ],
  ])('%s', (_name, draft, expected) => {
    const builder = new PlanBuilder('demo');
    builder.add(draft);
    const [operation] = builder.build().operations;
    expect(operation && renderOperation(operation)).toBe(expected);
  });

  it('dependencies must be listed sorted and without duplicates', () => {
    const builder = new PlanBuilder('demo');
    builder.add({ kind: 'pull-image', ...common('image:a', 'image not present'), image: 'a' });
    builder.add({ kind: 'pull-image', ...common('image:b', 'image not present'), image: 'b' });
    builder.add({ kind: 'start-container', ...common('container:demo-api-1', 'new container'), dependsOn: [1, 0, 1], container: 'demo-api-1', postStart: [] });
    expect(renderPlan(builder.build()).split('\n')[2]).toBe('[2] start-container container:demo-api-1 (new container) after [0,1]');
  });
});

describe('renderPlan', () => {
  it('a plan with nothing to do must render "no changes", then its problems and notes', () => {
    const builder = new PlanBuilder('demo');
    builder.problem({ service: null, resourceId: 'network:edge', message: 'missing' });
    builder.problem({ service: null, resourceId: 'network:edge', message: 'missing' });
    builder.note({ resourceId: 'container:demo-old-1', message: 'orphan' });
    expect(renderPlan(builder.build())).toBe('no changes\n! network:edge: missing\n- container:demo-old-1: orphan');
  });
});

describe('planToJson', () => {
  const project = projectFromYaml('name: demo\nservices:\n  api: { image: acme/api:1, command: ["serve", "--port", "80"] }\n');
  const planned = plan(project, emptyState('demo'), { prune: false, buildHashes: {} });

  it('the JSON form must survive a JSON round trip unchanged', () => {
    const json = planToJson(planned);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json.projectName).toBe('demo');
  });

  it('the JSON form must include the container create body', () => {
    const create = planToJson(planned).operations.find((operation) => operation['kind'] === 'create-container');
    expect(create?.['spec']).toMatchObject({ Image: 'acme/api:1', Cmd: ['serve', '--port', '80'] });
  });
});
