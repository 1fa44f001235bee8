import { describe, expect, it } from 'vitest';
import { noRunningTaskMessage, runningTask, taskAddress } from './running-task.js';
import type { RawTask } from './swarm-backup-port.js';

// The task a backup reads from: the one Swarm wants and reports running, the newest of two during an update,
// with its node's hostname and its address on the service's own network (never the ingress one).

const NODES = new Map([['n2', 'worker-2'], ['n3', 'worker-3']]);

function task(id: string, fields: { desired?: string; state?: string; container?: string | null; node?: string; created?: string; networks?: RawTask['NetworksAttachments'] } = {}): RawTask {
  const container = fields.container === undefined ? `c-${id}` : fields.container;
  return {
    ID: id,
    NodeID: fields.node ?? 'n2',
    DesiredState: fields.desired ?? 'running',
    CreatedAt: fields.created ?? '2026-12-01T10:00:00Z',
    Status: { State: fields.state ?? 'running', ...(container ? { ContainerStatus: { ContainerID: container } } : {}) },
    Spec: { ContainerSpec: { Image: 'composelet/postgres:15', Labels: { 'com.docker.compose.service': 'db' } } },
    NetworksAttachments: fields.networks ?? [{ Network: { ID: 'net', Spec: { Name: 'shop_default' } }, Addresses: ['10.0.1.7/24'] }],
  };
}

describe('runningTask', () => {
  it.each<[string, RawTask[], { taskId: string; nodeHostname: string; address: string | null } | null]>([
    ['the running task, with its node and address', [task('t1')], { taskId: 't1', nodeHostname: 'worker-2', address: '10.0.1.7' }],
    ['none when it is only starting', [task('t1', { state: 'starting' })], null],
    ['none when Swarm is shutting it down', [task('t1', { desired: 'shutdown' })], null],
    ['none without a container yet', [task('t1', { container: null })], null],
    ['the newest of two during an update', [task('old', { created: '2026-12-01T10:00:00Z' }), task('new', { node: 'n3', created: '2026-12-01T11:00:00Z' })], { taskId: 'new', nodeHostname: 'worker-3', address: '10.0.1.7' }],
    ['the failed one skipped', [task('dead', { state: 'failed', desired: 'shutdown', created: '2026-12-01T12:00:00Z' }), task('live')], { taskId: 'live', nodeHostname: 'worker-2', address: '10.0.1.7' }],
    ['an unknown node as an empty hostname', [task('t1', { node: 'gone' })], { taskId: 't1', nodeHostname: '', address: '10.0.1.7' }],
  ])('%s', (_name, tasks, expected) => {
    const found = runningTask(tasks, NODES);
    expect(found === null ? null : { taskId: found.taskId, nodeHostname: found.nodeHostname, address: found.address }).toEqual(expected);
  });
});

describe('taskAddress', () => {
  it.each<[string, RawTask['NetworksAttachments'], string | null]>([
    ['the first network address, without the prefix length', [{ Network: { Spec: { Name: 'a' } }, Addresses: ['10.0.2.3/24'] }], '10.0.2.3'],
    ['the ingress network skipped', [{ Network: { Spec: { Name: 'ingress', Ingress: true } }, Addresses: ['10.0.0.5/24'] }, { Network: { Spec: { Name: 'a' } }, Addresses: ['10.0.3.4/24'] }], '10.0.3.4'],
    ['null with only the ingress network', [{ Network: { Spec: { Name: 'ingress', Ingress: true } }, Addresses: ['10.0.0.5/24'] }], null],
    ['null without networks', [], null],
  ])('%s', (_name, networks, expected) => {
    expect(taskAddress(task('t', { networks }))).toBe(expected);
  });
});

describe('noRunningTaskMessage', () => {
  it.each<[string, RawTask[], string]>([
    ['no task at all', [], 'service "db" has no task on the Swarm: apply the project first'],
    ['the newest task and its error', [task('t1', { state: 'rejected', desired: 'shutdown' })].map((raw) => ({ ...raw, Status: { ...raw.Status, Err: 'No such image: composelet/postgres:15' } })), 'service "db" has no running task on the Swarm (its newest is rejected: No such image: composelet/postgres:15)'],
  ])('%s', (_name, tasks, expected) => {
    expect(noRunningTaskMessage('db', tasks)).toBe(expected);
  });
});
