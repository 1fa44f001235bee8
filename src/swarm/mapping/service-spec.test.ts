import { describe, expect, it } from 'vitest';
import type { Project } from '../../desired-state/model.js';
import { loadDesiredState } from '../../desired-state/load.js';
import { writeManifestTree } from '../../../test/support/manifest-files.js';
import { SPEC_HASH } from '../model/swarm-labels.js';
import { isSwarmJob, toServiceSpec } from './service-spec.js';
import type { ServiceSpec } from './swarm-types.js';

// Each row is a small compose file; the ServiceSpec sent to Swarm must carry the field as `docker stack
// deploy` would, the deploy keys passed as they are.

function loadProject(manifest: string): Project {
  const directory = writeManifestTree({ 'compose.yaml': manifest }, { directoryName: 'demo' });
  const result = loadDesiredState(directory, { environment: {}, homeDir: '/home/someone' });
  if (!result.ok) throw new Error(`fixture rejected: ${JSON.stringify(result.issues)}`);
  return result.state.projects[0]!;
}

function specOf(lines: string): ServiceSpec {
  const indented = lines.split('\n').map((line) => `    ${line}`).join('\n');
  const project = loadProject(`services:\n  app:\n    image: busybox\n${indented}\n${lines.includes('data:/') ? 'volumes:\n  data: {}\n' : ''}`);
  return toServiceSpec(project, project.services['app']!, { fileObjectNames: { 'secrets/token': 'demo_token_0123456789ab' } });
}

type Row = [name: string, lines: string, pick: (spec: ServiceSpec) => unknown, expected: unknown];

describe('toServiceSpec', () => {
  it.each<Row>([
    ['name as docker stack names it', 'command: ["true"]', (spec) => spec.Name, 'demo_app'],
    ['ownership labels on the service', 'command: ["true"]', (spec) => [spec.Labels['io.composelet.managed'], spec.Labels['com.docker.compose.project'], spec.Labels['com.docker.compose.service']], ['true', 'demo', 'app']],
    ['deploy.labels on the service, labels on its containers', 'labels: { tier: web }\ndeploy:\n  labels: { team: a }', (spec) => [spec.Labels['team'], spec.TaskTemplate.ContainerSpec.Labels?.['tier'], spec.Labels['tier']], ['a', 'web', undefined]],
    ['replicas', 'deploy:\n  replicas: 3', (spec) => spec.Mode, { Replicated: { Replicas: 3 } }],
    ['one replica by default, restart any', 'command: ["sleep", "1"]\nrestart: always', (spec) => [spec.Mode, spec.TaskTemplate.RestartPolicy], [{ Replicated: { Replicas: 1 } }, { Condition: 'any' }]],
    ['deploy.mode global', 'deploy:\n  mode: global', (spec) => spec.Mode, { Global: {} }],
    ['a one-shot (restart_policy none) is a replicated job', 'deploy:\n  restart_policy: { condition: none }', (spec) => [spec.Mode, spec.TaskTemplate.RestartPolicy?.Condition], [{ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } }, 'none']],
    ['no restart policy: restarted by Swarm, as docker stack deploy does', 'command: ["sleep", "9"]', (spec) => [spec.Mode, spec.TaskTemplate.RestartPolicy], [{ Replicated: { Replicas: 1 } }, { Condition: 'any' }]],
    ['a job takes no update_config', 'deploy:\n  restart_policy: { condition: none }\n  update_config: { parallelism: 2 }', (spec) => spec.UpdateConfig, undefined],
    ['restart_policy passed as it is', 'deploy:\n  restart_policy: { condition: on-failure, delay: 5s, max_attempts: 3, window: 1m }', (spec) => spec.TaskTemplate.RestartPolicy, { Condition: 'on-failure', Delay: 5e9, MaxAttempts: 3, Window: 60e9 }],
    ['resources: limits and reservations', 'restart: always\ndeploy:\n  resources:\n    limits: { cpus: "0.5", memory: 64M, pids: 100 }\n    reservations: { cpus: "0.25", memory: 32M }', (spec) => spec.TaskTemplate.Resources, { Limits: { NanoCPUs: 5e8, MemoryBytes: 64 * 1024 * 1024, Pids: 100 }, Reservations: { NanoCPUs: 2.5e8, MemoryBytes: 32 * 1024 * 1024 } }],
    ['mem_limit as a limit', 'restart: always\nmem_limit: 32m', (spec) => spec.TaskTemplate.Resources?.Limits?.MemoryBytes, 32 * 1024 * 1024],
    ['placement passed as it is', 'restart: always\ndeploy:\n  placement:\n    constraints: [node.role == worker]\n    preferences: [{ spread: node.labels.zone }]\n    max_replicas_per_node: 1', (spec) => spec.TaskTemplate.Placement, { Constraints: ['node.role == worker'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }], MaxReplicas: 1 }],
    ['update_config passed as it is', 'restart: always\ndeploy:\n  update_config: { parallelism: 1, delay: 2s, failure_action: rollback, monitor: 10s, max_failure_ratio: 0.5, order: start-first }', (spec) => spec.UpdateConfig, { Parallelism: 1, Delay: 2e9, FailureAction: 'rollback', Monitor: 10e9, MaxFailureRatio: 0.5, Order: 'start-first' }],
    ['rollback_config passed as it is', 'restart: always\ndeploy:\n  rollback_config: { parallelism: 2, order: stop-first }', (spec) => spec.RollbackConfig, { Parallelism: 2, Order: 'stop-first' }],
    ['the default network, with the service name as alias', 'restart: always', (spec) => spec.TaskTemplate.Networks, [{ Target: 'demo_default', Aliases: ['app'] }]],
    [
      'mode host published on the task\'s node, mode ingress (as docker compose config writes it) through the mesh',
      'ports:\n  - { target: 80, published: "8080", mode: host }\n  - { target: 81, published: 8081, mode: ingress }\n  - { target: 82, mode: host, protocol: udp }',
      (spec) => spec.EndpointSpec?.Ports,
      [
        { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' },
        { Protocol: 'tcp', TargetPort: 81, PublishedPort: 8081, PublishMode: 'ingress' },
        { Protocol: 'udp', TargetPort: 82, PublishMode: 'host' },
      ],
    ],
    ['ulimits as name, soft, hard', 'ulimits:\n  nproc: 512\n  nofile: { soft: 1024, hard: 2048 }', (spec) => spec.TaskTemplate.ContainerSpec.Ulimits, [{ Name: 'nofile', Soft: 1024, Hard: 2048 }, { Name: 'nproc', Soft: 512, Hard: 512 }]],
    ['published ports through the ingress', 'restart: always\nports: ["8080:80", "53:53/udp"]', (spec) => spec.EndpointSpec?.Ports, [{ Protocol: 'udp', TargetPort: 53, PublishedPort: 53, PublishMode: 'ingress' }, { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }]],
    ['endpoint_mode', 'restart: always\ndeploy:\n  endpoint_mode: dnsrr', (spec) => spec.EndpointSpec, { Mode: 'dnsrr' }],
    ['command and entrypoint as Args and Command', 'restart: always\nentrypoint: ["sh", "-c"]\ncommand: ["sleep 5"]', (spec) => [spec.TaskTemplate.ContainerSpec.Command, spec.TaskTemplate.ContainerSpec.Args], [['sh', '-c'], ['sleep 5']]],
    ['environment as KEY=VALUE', 'restart: always\nenvironment: { B: "2", A: "1" }', (spec) => spec.TaskTemplate.ContainerSpec.Env, ['A=1', 'B=2']],
    ['healthcheck in nanoseconds', 'restart: always\nhealthcheck: { test: ["CMD", "true"], interval: 2s, timeout: 1s, retries: 3, start_period: 5s }', (spec) => spec.TaskTemplate.ContainerSpec.Healthcheck, { Test: ['CMD', 'true'], Interval: 2e9, Timeout: 1e9, Retries: 3, StartPeriod: 5e9 }],
    ['named volume with the project prefix', 'restart: always\nvolumes: ["data:/var/lib/data"]', (spec) => spec.TaskTemplate.ContainerSpec.Mounts, [{ Type: 'volume', Source: 'demo_data', Target: '/var/lib/data' }]],
    ['stop signal and grace period', 'restart: always\nstop_signal: SIGINT\nstop_grace_period: 3s', (spec) => [spec.TaskTemplate.ContainerSpec.StopSignal, spec.TaskTemplate.ContainerSpec.StopGracePeriod], ['SIGINT', 3e9]],
    ['extra_hosts in hosts-file order', 'restart: always\nextra_hosts: ["db.local:10.0.0.5"]', (spec) => spec.TaskTemplate.ContainerSpec.Hosts, ['10.0.0.5 db.local']],
    ['a secret by its content-versioned name', 'restart: always\nsecrets: [token]', (spec) => spec.TaskTemplate.ContainerSpec.Secrets, [{ SecretName: 'demo_token_0123456789ab', File: { Name: 'token', UID: '0', GID: '0', Mode: 0o444 } }]],
  ])('%s', (_name, lines, pick, expected) => {
    const manifestLines = lines.includes('secrets:') ? `${lines}` : lines;
    const spec = lines.includes('secrets:') ? specWithSecret(manifestLines) : specOf(manifestLines);
    expect(pick(spec)).toEqual(expected);
  });

  it('stamps the hash of the spec: the same service gives the same hash, a changed one another', () => {
    const first = specOf('restart: always\nenvironment: { A: "1" }');
    expect(first.Labels[SPEC_HASH]).toMatch(/^[0-9a-f]{64}$/);
    expect(specOf('restart: always\nenvironment: { A: "1" }').Labels[SPEC_HASH]).toBe(first.Labels[SPEC_HASH]);
    expect(specOf('restart: always\nenvironment: { A: "2" }').Labels[SPEC_HASH]).not.toBe(first.Labels[SPEC_HASH]);
  });
});

function specWithSecret(lines: string): ServiceSpec {
  const indented = lines.split('\n').map((line) => `    ${line}`).join('\n');
  const project = loadProject(`services:\n  app:\n    image: busybox\n${indented}\nsecrets:\n  token:\n    environment: TOKEN\n`);
  return toServiceSpec(project, project.services['app']!, { fileObjectNames: { 'secrets/token': 'demo_token_0123456789ab' } });
}

describe('isSwarmJob', () => {
  it.each<[string, string, boolean]>([
    ['restart always', 'restart: always', false],
    ['restart unless-stopped', 'restart: unless-stopped', false],
    ['restart on-failure: restarted by Swarm, a service', 'restart: on-failure', false],
    ['restart no (default), nobody waits for it to complete: a service', 'command: ["true"]', false],
    ['restart_policy condition none', 'deploy:\n  restart_policy: { condition: none }', true],
    ['restart_policy condition any', 'deploy:\n  restart_policy: { condition: any }', false],
    ['deploy.mode replicated-job', 'restart: always\ndeploy:\n  mode: replicated-job', true],
  ])('%s', (_name, lines, expected) => {
    const indented = lines.split('\n').map((line) => `    ${line}`).join('\n');
    const project = loadProject(`services:\n  app:\n    image: busybox\n${indented}\n`);
    expect(isSwarmJob(project.services['app']!, project)).toBe(expected);
  });

  it('a one-shot another service waits for with service_completed_successfully is a job', () => {
    const project = loadProject(
      'services:\n  migrate:\n    image: busybox\n    command: ["true"]\n  app:\n    image: busybox\n    restart: always\n    depends_on:\n      migrate: { condition: service_completed_successfully }\n',
    );
    expect(isSwarmJob(project.services['migrate']!, project)).toBe(true);
    expect(isSwarmJob(project.services['app']!, project)).toBe(false);
  });
});
