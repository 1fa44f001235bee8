import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../src/desired-state/load.js';
import type { Project } from '../../src/desired-state/model.js';
import type { ContainerInspect } from '../../src/engine/engine-port.js';
import { evaluateLivePolicy, evaluatePolicy, policyBlocks, renderFindings, type Finding, type RuleId } from '../../src/policy/index.js';
import { writeManifestTree, yaml } from '../support/manifest-files.js';

// The policy rules as a table: for each rule a minimal service that breaks it and one that does not,
// then the settings (off, warn, error; project and service level), then the same rules on live
// containers' inspects.

function projectOf(files: Record<string, string>, options: { environment?: Record<string, string>; files?: string[] } = {}): Project {
  const directory = writeManifestTree(files, { directoryName: 'proj' });
  const result = loadDesiredState(directory, { environment: options.environment ?? {}, ...(options.files ? { files: options.files } : {}) });
  if (!result.ok) throw new Error(`test manifest is invalid: ${JSON.stringify(result.issues, null, 2)}`);
  return result.state.projects[0]!;
}

/** One service `api` with the given lines under it (indented by the caller as YAML under the service). */
function serviceYaml(body: string): string {
  const indented = body
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `    ${line}`)
    .join('\n');
  return `services:\n  api:\n    image: x\n${indented}\n`;
}

function findingsFor(body: string, ruleId: RuleId, options: { environment?: Record<string, string>; extraFiles?: Record<string, string> } = {}): Finding[] {
  const project = projectOf({ 'compose.yaml': serviceYaml(body), ...(options.extraFiles ?? {}) }, options);
  return evaluatePolicy(project).filter((finding) => finding.ruleId === ruleId);
}

interface Breaking {
  name: string;
  ruleId: RuleId;
  body: string;
  path: string;
  message: string;
  environment?: Record<string, string>;
}

const breaking: Breaking[] = [
  { name: 'privileged', ruleId: 'no-privileged', body: 'privileged: true', path: 'services.api.privileged', message: 'runs privileged' },
  { name: 'network_mode host', ruleId: 'no-host-namespaces', body: 'network_mode: host', path: 'services.api.network_mode', message: "shares the host's network" },
  { name: 'pid host', ruleId: 'no-host-namespaces', body: 'pid: host', path: 'services.api.pid', message: "shares the host's process namespace" },
  { name: 'ipc host', ruleId: 'no-host-namespaces', body: 'ipc: host', path: 'services.api.ipc', message: "shares the host's IPC namespace" },
  { name: 'docker.sock', ruleId: 'no-sensitive-mounts', body: 'volumes: ["/var/run/docker.sock:/var/run/docker.sock"]', path: 'services.api.volumes', message: "mounts the container engine's socket /var/run/docker.sock" },
  { name: 'the host root read-only', ruleId: 'no-sensitive-mounts', body: 'volumes: ["/:/host:ro"]', path: 'services.api.volumes', message: "mounts the host's root directory / at /host (read-only)" },
  { name: '/etc', ruleId: 'no-sensitive-mounts', body: 'volumes: ["/etc:/host-etc"]', path: 'services.api.volumes', message: "mounts the host's system path /etc at /host-etc" },
  { name: 'below /etc', ruleId: 'no-sensitive-mounts', body: 'volumes: ["/etc/ssl/certs:/certs:ro"]', path: 'services.api.volumes', message: 'system path /etc/ssl/certs' },
  { name: '/proc', ruleId: 'no-sensitive-mounts', body: 'volumes: ["/proc:/host/proc:ro"]', path: 'services.api.volumes', message: 'system path /proc' },
  { name: '/sys in long syntax', ruleId: 'no-sensitive-mounts', body: 'volumes: [{ type: bind, source: /sys, target: /host/sys }]', path: 'services.api.volumes', message: 'system path /sys' },
  { name: '/dev', ruleId: 'no-sensitive-mounts', body: 'volumes: ["/dev:/dev"]', path: 'services.api.volumes', message: 'system path /dev' },
  { name: '/boot', ruleId: 'no-sensitive-mounts', body: 'volumes: ["/boot:/boot:ro"]', path: 'services.api.volumes', message: 'system path /boot' },
  { name: 'a port without an address', ruleId: 'no-public-ports', body: 'ports: ["8080:80"]', path: 'services.api.ports', message: 'publishes 80/tcp on host port 8080 on every interface' },
  { name: 'a port on 0.0.0.0', ruleId: 'no-public-ports', body: 'ports: ["0.0.0.0:5432:5432"]', path: 'services.api.ports', message: 'on every interface (0.0.0.0)' },
  { name: 'a port on ::', ruleId: 'no-public-ports', body: 'ports: ["[::]:8443:443"]', path: 'services.api.ports', message: 'on every interface (::)' },
  { name: 'a random host port', ruleId: 'no-public-ports', body: 'ports: ["9000/udp"]', path: 'services.api.ports', message: 'publishes 9000/udp on a random host port' },
  { name: 'no memory limit', ruleId: 'memory-limit-required', body: 'cpus: 0.5', path: 'services.api.mem_limit', message: 'has no memory limit' },
  { name: 'no healthcheck', ruleId: 'healthcheck-required', body: 'restart: always', path: 'services.api.healthcheck', message: 'declares no healthcheck' },
  { name: 'a disabled healthcheck', ruleId: 'healthcheck-required', body: 'restart: unless-stopped\nhealthcheck: { disable: true }', path: 'services.api.healthcheck', message: 'disables its healthcheck' },
  { name: 'a literal password', ruleId: 'no-secret-literals', body: 'environment: { DB_PASSWORD: hunter2-sentinel }', path: 'services.api.environment.DB_PASSWORD', message: 'sets the secret-looking variable DB_PASSWORD to a literal value' },
  { name: 'a literal token in list syntax', ruleId: 'no-secret-literals', body: 'environment: ["API_TOKEN=abc-sentinel"]', path: 'services.api.environment.API_TOKEN', message: 'API_TOKEN' },
  { name: 'a literal number', ruleId: 'no-secret-literals', body: 'environment: { PIN_SECRET: 123456 }', path: 'services.api.environment.PIN_SECRET', message: 'PIN_SECRET' },
  { name: 'a literal default', ruleId: 'no-secret-literals', body: 'environment: { DB_PASSWORD: "${DB_PASSWORD:-hunter2-sentinel}" }', path: 'services.api.environment.DB_PASSWORD', message: 'DB_PASSWORD' },
  { name: 'an escaped dollar', ruleId: 'no-secret-literals', body: 'environment: { DB_PASSWORD: "pa$$word-sentinel" }', path: 'services.api.environment.DB_PASSWORD', message: 'DB_PASSWORD' },
  { name: 'no security_opt', ruleId: 'no-new-privileges-required', body: 'init: true', path: 'services.api.security_opt', message: 'does not set no-new-privileges' },
  { name: 'no-new-privileges:false', ruleId: 'no-new-privileges-required', body: 'security_opt: ["no-new-privileges:false"]', path: 'services.api.security_opt', message: 'does not set no-new-privileges' },
  { name: 'no user', ruleId: 'non-root-user', body: 'init: true', path: 'services.api.user', message: "sets no user: it runs as the image's user" },
  { name: 'user root', ruleId: 'non-root-user', body: 'user: root', path: 'services.api.user', message: 'runs as root (user: root)' },
  { name: 'uid 0 with a group', ruleId: 'non-root-user', body: 'user: "0:1000"', path: 'services.api.user', message: 'runs as root (user: 0:1000)' },
  { name: 'no logging (the engine default driver)', ruleId: 'log-rotation-required', body: 'init: true', path: 'services.api.logging', message: "logs with the engine's default driver (json-file unless the daemon sets another) without max-size" },
  { name: 'json-file with max-file only', ruleId: 'log-rotation-required', body: 'logging: { driver: json-file, options: { max-file: "3" } }', path: 'services.api.logging', message: 'logs with json-file without max-size' },
  { name: 'options without a driver and no max-size', ruleId: 'log-rotation-required', body: 'logging: { options: { compress: "true" } }', path: 'services.api.logging', message: "the engine's default driver" },
];

interface Passing {
  name: string;
  ruleId: RuleId;
  body: string;
  environment?: Record<string, string>;
  extraFiles?: Record<string, string>;
}

const passing: Passing[] = [
  { name: 'privileged false', ruleId: 'no-privileged', body: 'privileged: false' },
  { name: 'a network of its own and shareable ipc', ruleId: 'no-host-namespaces', body: 'network_mode: bridge\nipc: shareable' },
  { name: 'a path under /home', ruleId: 'no-sensitive-mounts', body: 'volumes: ["/home/app/data:/data"]' },
  { name: 'a path that only starts like /etc', ruleId: 'no-sensitive-mounts', body: 'volumes: ["/etcetera:/data", "/devices:/more"]' },
  { name: 'an anonymous volume and tmpfs', ruleId: 'no-sensitive-mounts', body: 'volumes: ["/data", { type: tmpfs, target: /tmp }]' },
  { name: 'a port on localhost', ruleId: 'no-public-ports', body: 'ports: ["127.0.0.1:8080:80", "[::1]:8081:81"]' },
  { name: 'an allowed port', ruleId: 'no-public-ports', body: 'ports: ["8080:80"]\nx-composelet: { policy: { allow_public_ports: [8080] } }' },
  { name: 'an allowed random port by its container port', ruleId: 'no-public-ports', body: 'ports: ["80"]\nx-composelet: { policy: { allow_public_ports: [80] } }' },
  { name: 'expose only', ruleId: 'no-public-ports', body: 'expose: ["80"]' },
  { name: 'mem_limit', ruleId: 'memory-limit-required', body: 'mem_limit: 64m' },
  { name: 'a deploy memory limit', ruleId: 'memory-limit-required', body: 'deploy: { resources: { limits: { memory: 64m } } }' },
  { name: 'a healthcheck', ruleId: 'healthcheck-required', body: 'restart: always\nhealthcheck: { test: ["CMD", "true"] }' },
  { name: 'a one-shot (restart no, the default)', ruleId: 'healthcheck-required', body: 'init: true' },
  { name: 'a one-shot (restart on-failure)', ruleId: 'healthcheck-required', body: 'restart: on-failure:3' },
  { name: 'an interpolated password', ruleId: 'no-secret-literals', body: 'environment: { DB_PASSWORD: "${DB_PASSWORD}" }', environment: { DB_PASSWORD: 'hunter2-sentinel' } },
  { name: 'a password passed through', ruleId: 'no-secret-literals', body: 'environment: [DB_PASSWORD]', environment: { DB_PASSWORD: 'hunter2-sentinel' } },
  { name: 'a password from an env_file', ruleId: 'no-secret-literals', body: 'env_file: [secrets.env]', extraFiles: { 'secrets.env': 'DB_PASSWORD=hunter2-sentinel\n' } },
  { name: 'a password from .env', ruleId: 'no-secret-literals', body: 'environment: { DB_PASSWORD: "${DB_PASSWORD:?set it in .env}" }', extraFiles: { '.env': 'DB_PASSWORD=hunter2-sentinel\n' } },
  { name: 'an empty password', ruleId: 'no-secret-literals', body: 'environment: { DB_PASSWORD: "" }' },
  { name: 'a literal under a plain key', ruleId: 'no-secret-literals', body: 'environment: { LOG_LEVEL: debug, KEYBOARD_LAYOUT: us }' },
  { name: 'no-new-privileges:true', ruleId: 'no-new-privileges-required', body: 'security_opt: ["no-new-privileges:true"]' },
  { name: 'no-new-privileges alone', ruleId: 'no-new-privileges-required', body: 'security_opt: ["no-new-privileges"]' },
  { name: 'a numeric user', ruleId: 'non-root-user', body: 'user: "1000:1000"' },
  { name: 'a named user', ruleId: 'non-root-user', body: 'user: app' },
  { name: 'json-file with max-size and max-file', ruleId: 'log-rotation-required', body: 'logging: { driver: json-file, options: { max-size: 10m, max-file: "3" } }' },
  { name: 'max-size on the default driver', ruleId: 'log-rotation-required', body: 'logging: { options: { max-size: 10m } }' },
  { name: 'the local driver (rotates by itself)', ruleId: 'log-rotation-required', body: 'logging: { driver: local }' },
  { name: 'journald', ruleId: 'log-rotation-required', body: 'logging: { driver: journald }' },
  { name: 'no logs at all', ruleId: 'log-rotation-required', body: 'logging: { driver: none }' },
];

describe('policy rules on desired state', () => {
  it.each(breaking.map((row) => [row.name, row] as const))('%s must break its rule', (_name, row) => {
    const findings = findingsFor(row.body, row.ruleId, row.environment ? { environment: row.environment } : {});
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId: row.ruleId, level: 'warning', service: 'api', container: null, path: row.path });
    expect(findings[0]!.message).toContain(row.message);
    expect(findings[0]!.fix.length).toBeGreaterThan(10);
  });

  it.each(passing.map((row) => [row.name, row] as const))('%s must not break its rule', (_name, row) => {
    const options = { ...(row.environment ? { environment: row.environment } : {}), ...(row.extraFiles ? { extraFiles: row.extraFiles } : {}) };
    expect(findingsFor(row.body, row.ruleId, options)).toEqual([]);
  });

  it('a finding must never show a secret value', () => {
    const project = projectOf({
      'compose.yaml': serviceYaml('environment: { DB_PASSWORD: hunter2-sentinel, DATABASE_URL: "postgres://app:s3cr3t-sentinel@db/app" }'),
    });
    const text = JSON.stringify(evaluatePolicy(project)) + renderFindings(evaluatePolicy(project)).join('\n');
    expect(text).not.toContain('sentinel');
  });

  it('a literal value in a later compose file must count, over an interpolated one in the first', () => {
    const project = projectOf(
      {
        'compose.yaml': serviceYaml('environment: { DB_PASSWORD: "${DB_PASSWORD}", API_TOKEN: tok-sentinel }'),
        'override.yaml': serviceYaml('environment: { DB_PASSWORD: hunter2-sentinel, API_TOKEN: "${API_TOKEN}" }'),
      },
      { files: ['compose.yaml', 'override.yaml'], environment: { DB_PASSWORD: 'x', API_TOKEN: 'y' } },
    );
    expect(evaluatePolicy(project).filter((finding) => finding.ruleId === 'no-secret-literals').map((finding) => finding.path)).toEqual([
      'services.api.environment.DB_PASSWORD',
    ]);
  });

  it('a literal value in an extended service of another file must count unless the service overrides it', () => {
    const project = projectOf({
      'compose.yaml': yaml`
        services:
          api:
            extends: { file: base/common.yaml, service: app }
            environment: { API_TOKEN: "\${API_TOKEN}" }
      `,
      'base/common.yaml': yaml`
        services:
          app:
            image: x
            environment: { DB_PASSWORD: hunter2-sentinel, API_TOKEN: tok-sentinel }
      `,
    }, { environment: { API_TOKEN: 'y' } });
    expect(evaluatePolicy(project).filter((finding) => finding.ruleId === 'no-secret-literals').map((finding) => finding.path)).toEqual([
      'services.api.environment.DB_PASSWORD',
    ]);
  });

  it('literal values must be judged from the files as loaded, without reading or parsing them again', () => {
    const directory = writeManifestTree(
      {
        'compose.yaml': yaml`
          services:
            api:
              extends: { file: base/common.yaml, service: app }
              environment: { DB_PASSWORD: "\${DB_PASSWORD}" }
        `,
        'base/common.yaml': 'services:\n  app:\n    image: x\n    environment: { API_TOKEN: tok-sentinel }\n',
      },
      { directoryName: 'proj' },
    );
    const result = loadDesiredState(directory, { environment: { DB_PASSWORD: 'x' } });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    // Were the files read again, these would count every key as literal (DB_PASSWORD included).
    writeFileSync(join(directory, 'compose.yaml'), 'not: [valid');
    writeFileSync(join(directory, 'base', 'common.yaml'), 'not: [valid');
    const paths = evaluatePolicy(result.state.projects[0]!).filter((finding) => finding.ruleId === 'no-secret-literals').map((finding) => finding.path);
    expect(paths).toEqual(['services.api.environment.API_TOKEN']);
  });

  it('when the files cannot be read again, every secret-looking key not from an env_file must count as literal', () => {
    const project = projectOf({ 'compose.yaml': serviceYaml('environment: { DB_PASSWORD: "${DB_PASSWORD}" }\nenv_file: [secrets.env]'), 'secrets.env': 'API_TOKEN=t\n' }, { environment: { DB_PASSWORD: 'x' } });
    const paths = evaluatePolicy(project, { literalEnvironment: null }).filter((finding) => finding.ruleId === 'no-secret-literals').map((finding) => finding.path);
    expect(paths).toEqual(['services.api.environment.DB_PASSWORD']);
  });
});

describe('log rotation from the project default (x-composelet.logging)', () => {
  it('services without logging must inherit the default and pass; one with its own logging must keep it', () => {
    const project = projectOf({
      'compose.yaml': yaml`
        x-composelet:
          logging: { driver: json-file, options: { max-size: 10m, max-file: 3 } }
        services:
          api:
            image: x
          worker:
            image: x
            logging: { driver: json-file }
      `,
    });
    expect(project.services.api!.logging).toEqual({ driver: 'json-file', options: { 'max-file': '3', 'max-size': '10m' } });
    expect(project.services.worker!.logging).toEqual({ driver: 'json-file', options: {} });
    expect(evaluatePolicy(project).filter((finding) => finding.ruleId === 'log-rotation-required').map((finding) => finding.path)).toEqual(['services.worker.logging']);
  });
});

describe('policy settings', () => {
  const levelOf = (project: Project, service: string, ruleId: RuleId) =>
    evaluatePolicy(project).find((finding) => finding.service === service && finding.ruleId === ruleId)?.level ?? 'none';

  it('by default every rule must warn, so nothing blocks', () => {
    const project = projectOf({ 'compose.yaml': serviceYaml('privileged: true\nnetwork_mode: host\nports: ["80:80"]\nrestart: always\nenvironment: { DB_PASSWORD: x }') });
    const findings = evaluatePolicy(project);
    expect(new Set(findings.map((finding) => finding.ruleId)).size).toBe(9); // every rule but no-sensitive-mounts
    expect(findings.every((finding) => finding.level === 'warning')).toBe(true);
    expect(policyBlocks(findings)).toBe(false);
  });

  it.each<[string, string, string, 'error' | 'warning' | 'none']>([
    ['error at project level must make an error', 'no-privileged: error', '', 'error'],
    ['warn at project level must make a warning', 'no-privileged: warn', '', 'warning'],
    ['off at project level must drop the finding', 'no-privileged: off', '', 'none'],
    ['the service must win over the project (error over off)', 'no-privileged: off', 'no-privileged: error', 'error'],
    ['the service must win over the project (off over error)', 'no-privileged: error', 'no-privileged: off', 'none'],
    ['the service must win over the project (warn over error)', 'no-privileged: error', 'no-privileged: warn', 'warning'],
    ['another rule set at service level must leave the project level', 'no-privileged: error', 'non-root-user: off', 'error'],
  ])('%s', (_name, projectRules, serviceRules, expected) => {
    const project = projectOf({
      'compose.yaml': yaml`
        x-composelet:
          policy:
            rules: { ${projectRules} }
        services:
          api:
            image: x
            privileged: true
            x-composelet:
              policy:
                rules: { ${serviceRules} }
          other:
            image: x
            privileged: true
      `,
    });
    expect(levelOf(project, 'api', 'no-privileged')).toBe(expected);
    expect(levelOf(project, 'other', 'no-privileged')).toBe(projectRules.endsWith('off') ? 'none' : projectRules.endsWith('error') ? 'error' : 'warning');
  });

  it('an error must block and a service-level allow list must replace the project list', () => {
    const project = projectOf({
      'compose.yaml': yaml`
        x-composelet:
          policy:
            rules: { no-public-ports: error }
            allow_public_ports: [443]
        services:
          web:
            image: x
            ports: ["443:443", "80:80"]
          admin:
            image: x
            ports: ["8443:8443", "8080:8080"]
            x-composelet:
              policy: { allow_public_ports: [8080] }
      `,
    });
    const findings = evaluatePolicy(project).filter((finding) => finding.ruleId === 'no-public-ports');
    expect(renderFindings(findings)).toEqual([
      'error no-public-ports services.admin.ports: publishes 8443/tcp on host port 8443 on every interface; bind it to one address ("127.0.0.1:8443:8443"), or allow it on purpose with x-composelet.policy.allow_public_ports: [8443]',
      'error no-public-ports services.web.ports: publishes 80/tcp on host port 80 on every interface; bind it to one address ("127.0.0.1:80:80"), or allow it on purpose with x-composelet.policy.allow_public_ports: [80]',
    ]);
    expect(policyBlocks(findings)).toBe(true);
  });

  it('findings must be sorted by service, then rule order, and rendered one line each', () => {
    const project = projectOf({
      'compose.yaml': yaml`
        x-composelet:
          policy:
            rules: { memory-limit-required: off, no-new-privileges-required: off, healthcheck-required: off, log-rotation-required: off }
        services:
          worker:
            image: x
            user: root
          api:
            image: x
            user: "1000"
            privileged: true
            pid: host
            network_mode: host
      `,
    });
    expect(renderFindings(evaluatePolicy(project))).toEqual([
      'warning no-privileged services.api.privileged: runs privileged (every capability and every host device); remove privileged: true and add only the capabilities it needs with cap_add',
      "warning no-host-namespaces services.api.network_mode: shares the host's network (network_mode: host): it can bind any host port and reach every host-local service; remove network_mode: host, attach it to a network and publish what it serves with ports:",
      "warning no-host-namespaces services.api.pid: shares the host's process namespace (pid: host): it sees every host process; remove pid: host",
      'warning non-root-user services.worker.user: runs as root (user: root); set user: to an unprivileged uid:gid such as "1000:1000" and give it the files it writes',
    ]);
  });
});

/** A live container's inspect, as the engine returns it, trimmed to what the rules read. */
function inspectOf(options: {
  name?: string;
  service?: string | null;
  config?: Record<string, unknown>;
  hostConfig?: Record<string, unknown>;
  mounts?: ContainerInspect['Mounts'];
}): ContainerInspect {
  const service = options.service === undefined ? 'api' : options.service;
  return {
    Id: 'f'.repeat(64),
    Name: `/${options.name ?? 'proj-api-1'}`,
    Created: '2026-01-01T00:00:00Z',
    Image: 'sha256:0',
    State: { Status: 'running', Running: true, ExitCode: 0, StartedAt: '', FinishedAt: '' },
    Config: {
      Image: 'x',
      Labels: { 'com.docker.compose.project': 'proj', ...(service === null ? {} : { 'com.docker.compose.service': service }) },
      Env: ['PATH=/bin', 'DB_PASSWORD=hunter2-sentinel'],
      Cmd: null,
      Entrypoint: null,
      User: '1000',
      Healthcheck: { Test: ['CMD', 'true'] },
      ...options.config,
    },
    HostConfig: {
      Memory: 67108864,
      RestartPolicy: { Name: 'always', MaximumRetryCount: 0 },
      SecurityOpt: ['no-new-privileges:true'],
      NetworkMode: 'proj_default',
      PidMode: '',
      IpcMode: 'private',
      Privileged: false,
      PortBindings: {},
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m' } },
      ...options.hostConfig,
    },
    Mounts: options.mounts ?? [],
    NetworkSettings: { Networks: {} },
  };
}

describe('policy rules on live state', () => {
  const project = projectOf({ 'compose.yaml': 'name: proj\nservices:\n  api:\n    image: x\n' });

  it('a container that follows every rule must give no findings', () => {
    expect(evaluateLivePolicy(project, [inspectOf({})])).toEqual([]);
  });

  it.each<[string, Parameters<typeof inspectOf>[0], RuleId, string, string]>([
    ['privileged', { hostConfig: { Privileged: true } }, 'no-privileged', 'services.api.privileged', 'runs privileged'],
    ['host network', { hostConfig: { NetworkMode: 'host' } }, 'no-host-namespaces', 'services.api.network_mode', "host's network"],
    ['host pid', { hostConfig: { PidMode: 'host' } }, 'no-host-namespaces', 'services.api.pid', "host's process namespace"],
    ['host ipc', { hostConfig: { IpcMode: 'host' } }, 'no-host-namespaces', 'services.api.ipc', "host's IPC namespace"],
    ['the docker socket', { mounts: [{ Type: 'bind', Source: '/run/docker.sock', Destination: '/var/run/docker.sock', RW: true }] }, 'no-sensitive-mounts', 'services.api.volumes', "engine's socket /run/docker.sock"],
    ['a port on every interface', { hostConfig: { PortBindings: { '5432/tcp': [{ HostIp: '', HostPort: '5432' }] } } }, 'no-public-ports', 'services.api.ports', 'publishes 5432/tcp on host port 5432 on every interface'],
    ['no memory limit', { hostConfig: { Memory: 0 } }, 'memory-limit-required', 'services.api.mem_limit', 'has no memory limit'],
    ['no healthcheck at all', { config: { Healthcheck: undefined } }, 'healthcheck-required', 'services.api.healthcheck', 'has no healthcheck'],
    ['no no-new-privileges', { hostConfig: { SecurityOpt: null } }, 'no-new-privileges-required', 'services.api.security_opt', 'does not set no-new-privileges'],
    ['root', { config: { User: '' } }, 'non-root-user', 'services.api.user', 'runs as root (no user set by the service or the image)'],
    ['json-file without max-size', { hostConfig: { LogConfig: { Type: 'json-file', Config: {} } } }, 'log-rotation-required', 'services.api.logging', 'logs with json-file without max-size'],
  ])('%s must be found on a live container', (_name, options, ruleId, path, message) => {
    const findings = evaluateLivePolicy(project, [inspectOf(options)]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ ruleId, path, service: 'api', container: 'proj-api-1', level: 'warning' });
    expect(findings[0]!.message).toContain(message);
  });

  it.each<[string, Parameters<typeof inspectOf>[0]]>([
    ['a port on localhost', { hostConfig: { PortBindings: { '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: '5432' }] } } }],
    ['a one-shot without a healthcheck', { config: { Healthcheck: undefined }, hostConfig: { RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } } }],
    ['a bind of a data directory', { mounts: [{ Type: 'bind', Source: '/srv/data', Destination: '/data', RW: true }] }],
    ['the local log driver', { hostConfig: { LogConfig: { Type: 'local', Config: {} } } }],
    ['a volume named like a system path', { mounts: [{ Type: 'volume', Name: 'etc', Source: '/var/lib/docker/volumes/etc/_data', Destination: '/etc/app', RW: true }] }],
  ])('%s must not be found on a live container', (_name, options) => {
    expect(evaluateLivePolicy(project, [inspectOf(options)])).toEqual([]);
  });

  it('a port bound on both address families must give one finding', () => {
    const inspect = inspectOf({ hostConfig: { PortBindings: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '80' }, { HostIp: '0.0.0.0', HostPort: '80' }] } } });
    expect(evaluateLivePolicy(project, [inspect])).toHaveLength(1);
  });

  it('secret literals must not be checked on live state, and values must never show', () => {
    const findings = evaluateLivePolicy(project, [inspectOf({ config: { User: '' } })]);
    expect(findings.map((finding) => finding.ruleId)).toEqual(['non-root-user']);
    expect(JSON.stringify(findings)).not.toContain('sentinel');
  });

  it("the service's settings must apply to its containers, the project's to unknown ones", () => {
    const configured = projectOf({
      'compose.yaml': yaml`
        name: proj
        x-composelet:
          policy: { rules: { no-privileged: error } }
        services:
          api:
            image: x
            x-composelet:
              policy: { rules: { no-privileged: off } }
      `,
    });
    const findings = evaluateLivePolicy(configured, [
      inspectOf({ hostConfig: { Privileged: true } }),
      inspectOf({ name: 'proj-old-1', service: 'old', hostConfig: { Privileged: true } }),
      inspectOf({ name: 'hand-made', service: null, hostConfig: { Privileged: true } }),
    ]);
    expect(renderFindings(findings)).toEqual([
      'error no-privileged containers.hand-made.privileged [hand-made]: runs privileged (every capability and every host device); remove privileged: true and add only the capabilities it needs with cap_add',
      'error no-privileged services.old.privileged [proj-old-1]: runs privileged (every capability and every host device); remove privileged: true and add only the capabilities it needs with cap_add',
    ]);
  });
});
