import { describe, expect, it } from 'vitest';
import { writeManifestTree } from '../../support/manifest-files.js';
import { runCliCaptured } from '../../support/run-cli.js';

// `composelet validate --target swarm` and `apply` of a Swarm project, run in-process: what a Swarm project
// cannot do is reported per key with file:line, errors exit 1 (apply changes nothing), and the loader's
// warnings about Swarm-only keys (true on one engine) are not printed for a Swarm project.

const BASE = [
  'services:', //                                   1
  '  web:', //                                      2
  '    image: composelet/busybox:1', //             3
  '    container_name: web', //                     4
  '    ports: ["127.0.0.1:8080:80"]', //            5
  '    deploy:', //                                 6
  '      placement: { constraints: [node.role == manager] }', // 7
  '      endpoint_mode: dnsrr', //                  8
  '',
].join('\n');

const OVERRIDE = ['services:', '  web:', '    privileged: true', ''].join('\n');

/** A project directory with compose.yaml and compose.override.yaml (the override merges over the base). */
function project(options: { target?: 'swarm' } = {}): string {
  const top = options.target ? `x-composelet:\n  target: ${options.target}\n` : '';
  return writeManifestTree({ 'compose.yaml': `${top}${BASE}`, 'compose.override.yaml': OVERRIDE });
}

const ONE_HOST_WARNING = 'is a Swarm setting and is ignored';

describe('composelet validate --target swarm', () => {
  it('must report each Swarm error and warning with its file:line:column and exit 1 on an error', async () => {
    const directory = project();
    const { code, stdout } = await runCliCaptured(['validate', directory, '--target', 'swarm']);
    expect(code).toBe(1);
    expect(stdout).toContain(`project ${directory.split('/').pop()!.toLowerCase()} on Swarm: 3 errors, 1 warning (errors block apply)`);
    expect(stdout).toContain(`${directory}/compose.yaml:4:5: services.web.container_name: error: Swarm names every task itself`);
    expect(stdout).toContain(`${directory}/compose.yaml:5:13: services.web.ports[0]: error: Swarm publishes on every interface of every node`);
    expect(stdout).toContain(`${directory}/compose.yaml:5:5: services.web.ports: warning: Swarm publishes a port on every node`);
    expect(stdout).toContain(`${directory}/compose.override.yaml:3:5: services.web.privileged: error: a Swarm ContainerSpec has no privileged mode`);
  });

  it('a project with x-composelet.target swarm must be checked without the flag', async () => {
    const directory = project({ target: 'swarm' });
    const { code, stdout } = await runCliCaptured(['validate', directory]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${directory}/compose.yaml:6:5: services.web.container_name: error:`);
  });

  it('--target engine must not check for Swarm, and must print the one-host warnings', async () => {
    const directory = project({ target: 'swarm' });
    const { code, stdout, stderr } = await runCliCaptured(['validate', directory, '--target', 'engine']);
    expect(code).toBe(0);
    expect(stdout).not.toContain('on Swarm');
    expect(stderr).toContain(`${directory}/compose.yaml:9:7: services.web.deploy.placement: deploy.placement ${ONE_HOST_WARNING}`);
  });

  it('replicas on one fixed host port must be refused on one engine, and accepted with --target swarm alone', async () => {
    const compose = 'services:\n  web:\n    image: composelet/busybox:1\n    ports: ["8080:80"]\n    deploy: { replicas: 2 }\n';
    const directory = writeManifestTree({ 'compose.yaml': compose });
    const clash = '2 replicas cannot share a fixed host port';
    const onOneEngine = await runCliCaptured(['validate', directory]);
    expect(onOneEngine.code).toBe(1);
    expect(onOneEngine.stdout + onOneEngine.stderr).toContain(`${directory}/compose.yaml:4:5: services.web.ports: ${clash}`);
    // The flag alone, with no x-composelet.target in the file: Swarm's routing mesh lets replicas share it.
    const onSwarm = await runCliCaptured(['validate', directory, '--target', 'swarm']);
    expect(onSwarm.stdout + onSwarm.stderr).not.toContain(clash);
    expect(onSwarm.code).toBe(0);
    // And --target engine puts the one-engine check back over x-composelet.target swarm.
    const swarmProject = writeManifestTree({ 'compose.yaml': `x-composelet:\n  target: swarm\n${compose}` });
    expect((await runCliCaptured(['validate', swarmProject])).code).toBe(0);
    const forcedEngine = await runCliCaptured(['validate', swarmProject, '--target', 'engine']);
    expect(forcedEngine.code).toBe(1);
    expect(forcedEngine.stdout + forcedEngine.stderr).toContain(clash);
  });

  it('a Swarm project with warnings only must exit 0 and print them', async () => {
    const directory = writeManifestTree({ 'compose.yaml': 'services:\n  web:\n    image: composelet/busybox:1\n    volumes: ["/cache"]\n' });
    const { code, stdout } = await runCliCaptured(['validate', directory, '--target', 'swarm']);
    expect(code).toBe(0);
    expect(stdout).toContain(`${directory}/compose.yaml:4:15: services.web.volumes[0]: warning: an anonymous volume`);
  });

  it('a Swarm project must not get the one-host warnings about Swarm keys', async () => {
    const { stderr } = await runCliCaptured(['validate', project({ target: 'swarm' })]);
    expect(stderr).not.toContain(ONE_HOST_WARNING);
    const flagged = await runCliCaptured(['validate', project(), '--target', 'swarm']);
    expect(flagged.stderr).not.toContain(ONE_HOST_WARNING);
  });

  it('--json must carry the Swarm findings per project', async () => {
    const { code, stdout } = await runCliCaptured(['validate', project(), '--target', 'swarm', '--json']);
    expect(code).toBe(1);
    const body = JSON.parse(stdout);
    expect(body.ok).toBe(false);
    // Sorted by file, then line: the override file names first.
    expect(body.swarm[0].findings.map((finding: { rule: string; severity: string; line: number }) => [finding.rule, finding.severity, finding.line])).toEqual([
      ['privileged', 'error', 3],
      ['container_name', 'error', 4],
      ['ports', 'warning', 5],
      ['ports[].host_ip', 'error', 5],
    ]);
    expect(body.warnings.filter((warning: { message: string }) => warning.message.includes(ONE_HOST_WARNING))).toEqual([]);
  });

  it('an unknown --target must be a usage error', async () => {
    const { code, stderr } = await runCliCaptured(['validate', project(), '--target', 'kubernetes']);
    expect(code).toBe(1);
    expect(stderr).toContain('--target: expected "engine" or "swarm", got "kubernetes"');
  });
});

describe('composelet apply of a Swarm project', () => {
  // No Swarm manager answers on this socket: apply must refuse before it would need one.
  const env = { PATH: process.env.PATH, DOCKER_HOST: 'unix:///nonexistent/composelet-swval.sock' };

  it('must refuse on a Swarm error, naming file:line, before any change', async () => {
    const directory = project();
    const { code, stdout, stderr } = await runCliCaptured(['apply', directory, '--target', 'swarm'], { env });
    expect(code).toBe(1);
    expect(stdout).toContain(`${directory}/compose.yaml:4:5: services.web.container_name: error:`);
    expect(stderr).toContain('composelet apply: Swarm errors (above) block apply; nothing was changed');
  });

  it('must print no one-host warning for a Swarm project', async () => {
    const directory = writeManifestTree({
      'compose.yaml': 'x-composelet:\n  target: swarm\nservices:\n  web:\n    image: composelet/busybox:1\n    deploy:\n      mode: global\n      endpoint_mode: dnsrr\n      update_config: { order: start-first }\n',
    });
    const { stderr } = await runCliCaptured(['apply', directory], { env });
    expect(stderr).not.toContain(ONE_HOST_WARNING);
    expect(stderr).not.toContain('is a Swarm mode and is ignored');
    expect(stderr).not.toContain('has no effect yet');
    // The same file on one engine gets them.
    const engine = await runCliCaptured(['validate', directory, '--target', 'engine']);
    expect(engine.stderr).toContain('is a Swarm mode and is ignored');
    expect(engine.stderr).toContain('has no effect yet');
  });
});
