import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors/kinds.js';
import { chooseApiVersion, parseDockerHost } from './docker-host.js';

describe('parseDockerHost', () => {
  it.each([
    [undefined, 'unix:///var/run/docker.sock', { socketPath: '/var/run/docker.sock' }],
    ['', 'unix:///var/run/docker.sock', { socketPath: '/var/run/docker.sock' }],
    ['unix://', 'unix:///var/run/docker.sock', { socketPath: '/var/run/docker.sock' }],
    ['unix:///run/user/1000/docker.sock', 'unix:///run/user/1000/docker.sock', { socketPath: '/run/user/1000/docker.sock' }],
    ['tcp://127.0.0.1:2375', 'tcp://127.0.0.1:2375', { host: '127.0.0.1', port: 2375, protocol: 'http' }],
    ['tcp://docker.internal', 'tcp://docker.internal:2375', { host: 'docker.internal', port: 2375 }],
    ['http://10.0.0.5:4243/', 'tcp://10.0.0.5:4243', { host: '10.0.0.5', port: 4243 }],
    ['tcp://[::1]:2375', 'tcp://[::1]:2375', { host: '::1', port: 2375 }],
  ])('%j must give address %s', (value, address, expectedOptions) => {
    const dockerHost = parseDockerHost(value);
    expect(dockerHost.address).toBe(address);
    expect(dockerHost.dockerodeOptions).toMatchObject(expectedOptions);
  });

  it('must leave no host on a unix socket, so an inherited tcp DOCKER_HOST cannot override it', () => {
    const { dockerodeOptions } = parseDockerHost('unix:///tmp/docker.sock');
    expect(Object.keys(dockerodeOptions)).toContain('host');
    expect(dockerodeOptions.host).toBeUndefined();
  });

  it.each(['ssh://user@host', 'npipe:////./pipe/docker_engine', 'https://host:2376', 'tcp://', 'tcp://host:2375/prefix', '/var/run/docker.sock'])(
    '%j must be refused with a usage error',
    (value) => {
      expect(() => parseDockerHost(value)).toThrow(UsageError);
    },
  );
});

describe('chooseApiVersion', () => {
  it.each([
    [{ ApiVersion: '1.41', MinAPIVersion: '1.12' }, '1.41'],
    [{ ApiVersion: '1.47', MinAPIVersion: '1.24' }, '1.41'],
    [{ ApiVersion: '1.52', MinAPIVersion: '1.44' }, '1.44'],
    [{ ApiVersion: '1.40', MinAPIVersion: '1.12' }, '1.40'],
    [{ ApiVersion: '1.43' }, '1.41'],
  ])('engine %j must be spoken to with API %s', (server, expected) => {
    expect(chooseApiVersion(server)).toBe(expected);
  });
});
