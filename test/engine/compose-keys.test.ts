import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identity, inspectProject, stackFixture } from '../support/converge-fixture.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';

// The keys real compose files use must reach the engine as Compose v2 sends them: asserted on what
// `docker inspect` shows of the containers composelet created.

const engine = testEngine();

interface Inspected {
  HostConfig: Record<string, unknown>;
  Config: { MacAddress?: string };
  NetworkSettings: {
    Ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null>;
    Networks: Record<string, { Links: string[] | null; Aliases: string[] | null; MacAddress: string }>;
  };
  Mounts: Array<{ Destination: string; RW: boolean; Name?: string }>;
  State: { StartedAt: string; Running: boolean };
}

async function inspect(name: string): Promise<Inspected> {
  return (JSON.parse(await runDocker(['inspect', name])) as Inspected[])[0]!;
}

describe('apply with links, devices, volumes_from, mac_address, a port range and deploy.restart_policy', () => {
  const stack = stackFixture('compose-keys', uniqueProjectName('keys'));
  const web = () => inspect(`${stack.projectName}-web-1`);
  let apply: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    apply = await stack.run('apply', '--timeout', '60s');
  }, 120_000);
  afterAll(() => removeProjectObjects(engine, stack.projectName));

  it('apply must converge both services and exit 0', async () => {
    // The only output on stderr is the warning for the Swarm-only key.
    expect(apply.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^warning: .*services\.web\.deploy\.placement: deploy\.placement is a Swarm setting and is ignored/)]);
    expect(apply.code).toBe(0);
    const containers = await inspectProject(engine, stack.projectName);
    expect(Object.keys(containers).sort()).toEqual(['db', 'web']);
    expect([containers.db!.State.Running, containers.web!.State.Running]).toEqual([true, true]);
  });

  it('a link must start the linked service first and make its alias resolvable in the linking container', async () => {
    const [db, linking] = [await inspect(`${stack.projectName}-db-1`), await web()];
    expect(Date.parse(linking.State.StartedAt)).toBeGreaterThanOrEqual(Date.parse(db.State.StartedAt));
    expect(linking.NetworkSettings.Networks[`${stack.projectName}_default`]!.Links).toEqual([
      `${stack.projectName}-db-1:database`,
      `${stack.projectName}-db-1:db-1`,
      `${stack.projectName}-db-1:${stack.projectName}-db-1`,
    ]);
    const resolved = await runDocker(['exec', `${stack.projectName}-web-1`, 'nslookup', 'database']);
    expect(resolved).toMatch(/Address.*\d+\.\d+\.\d+\.\d+/s);
  });

  it('a device must be mapped into the container with its permissions', async () => {
    expect((await web()).HostConfig['Devices']).toEqual([
      { PathOnHost: '/dev/null', PathInContainer: '/dev/composelet-null', CgroupPermissions: 'rw' },
    ]);
    await runDocker(['exec', `${stack.projectName}-web-1`, 'sh', '-c', 'echo x > /dev/composelet-null']);
  });

  it('volumes_from must mount the other service\'s volumes, read-only as asked', async () => {
    const linking = await web();
    expect(linking.HostConfig['VolumesFrom']).toEqual([`${stack.projectName}-db-1:ro`]);
    expect(linking.Mounts.find((mount) => mount.Destination === '/data')).toMatchObject({ RW: false, Name: `${stack.projectName}_data` });
  });

  it('mac_address must be the container\'s address on its network', async () => {
    expect((await web()).NetworkSettings.Networks[`${stack.projectName}_default`]!.MacAddress).toBe('02:42:ac:11:ff:01');
  });

  it('a host port range must bind one free port of the range', async () => {
    const linking = await web();
    expect(linking.HostConfig['PortBindings']).toEqual({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '46005-46015' }] });
    const bound = Number(linking.NetworkSettings.Ports['80/tcp']![0]!.HostPort);
    expect(bound).toBeGreaterThanOrEqual(46005);
    expect(bound).toBeLessThanOrEqual(46015);
  });

  it('deploy.restart_policy must be the engine restart policy, and runtime the OCI runtime', async () => {
    const linking = await web();
    expect(linking.HostConfig['RestartPolicy']).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(linking.HostConfig['Runtime']).toBe('runc');
  });

  it('a second apply must change nothing', async () => {
    const before = await inspectProject(engine, stack.projectName);
    const second = await stack.run('apply', '--timeout', '60s');
    expect(second.code).toBe(0);
    const after = await inspectProject(engine, stack.projectName);
    expect(Object.fromEntries(Object.entries(after).map(([service, container]) => [service, identity(container)]))).toEqual(
      Object.fromEntries(Object.entries(before).map(([service, container]) => [service, identity(container)])),
    );
  }, 120_000);

  it('validate must accept the file and name the Swarm-only key it ignores', async () => {
    const validated = await stack.run('validate');
    expect(validated.code).toBe(0);
    expect(`${validated.stdout}${validated.stderr}`).toMatch(/deploy\.placement is a Swarm setting and is ignored/);
  });
});
