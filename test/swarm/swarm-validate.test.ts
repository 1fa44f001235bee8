import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { runCliCaptured } from '../support/run-cli.js';
import { SwarmCluster } from '../support/swarm/cluster.js';

// What a Swarm project cannot do, on a real three-node cluster: an error refuses apply before the cluster
// is touched; warnings are printed and the project is deployed; the one-host warnings are not printed.

const IMAGE = 'composelet/busybox:1';

let cluster: SwarmCluster;

beforeAll(async () => {
  cluster = await SwarmCluster.up({ images: [IMAGE] });
}, 120_000);

afterAll(async () => {
  await cluster?.down();
}, 120_000);

const apply = (directory: string) => runCliCaptured(['apply', directory], { env: { PATH: process.env.PATH, DOCKER_HOST: cluster.managerHost } });

describe('apply of a Swarm project', () => {
  it('must change nothing on the cluster when a key is a Swarm error, and name its file:line', async () => {
    const directory = writeManifestTree(
      {
        'compose.yaml': [
          'x-composelet: { target: swarm }',
          'services:',
          '  web:',
          `    image: ${IMAGE}`,
          '    container_name: web',
          '    deploy: { endpoint_mode: dnsrr }',
          '',
        ].join('\n'),
      },
      { directoryName: 'refused' },
    );
    const result = await apply(directory);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`${directory}/compose.yaml:5:5: services.web.container_name: error:`);
    expect(result.stderr).toContain('Swarm errors (above) block apply; nothing was changed');
    const observed = await cluster.port().observe('refused');
    expect(observed.services).toEqual([]);
    expect(await cluster.docker('network', 'ls', '--filter', 'name=refused_', '--format', '{{.Name}}')).toBe('');
  });

  it('must deploy a project with warnings only, printing them and no one-host warning', async () => {
    const directory = writeManifestTree(
      {
        'compose.yaml': [
          'x-composelet: { target: swarm }',
          'services:',
          '  cache:',
          `    image: ${IMAGE}`,
          `    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 86400 & wait"]`,
          '    volumes: ["/scratch"]',
          '    deploy:',
          '      endpoint_mode: dnsrr',
          '      replicas: 2',
          '      placement: { max_replicas_per_node: 1 }',
          '',
        ].join('\n'),
      },
      { directoryName: 'warned' },
    );
    const result = await apply(directory);
    expect(result.stderr).not.toContain('is a Swarm setting and is ignored');
    expect(result.stdout).toContain(`${directory}/compose.yaml:6:15: services.cache.volumes[0]: warning: an anonymous volume`);
    expect(result.code).toBe(0);
    await eventually(async () => {
      const service = await cluster.port().observeService('warned', 'cache');
      expect(service?.tasks.filter((task) => task.state === 'running')).toHaveLength(2);
    });
  });
});
