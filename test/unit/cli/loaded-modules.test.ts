import { describe, expect, it } from 'vitest';
import { loadedPackages, loadedSources } from './support/loaded-modules.js';

describe('reading the loaded-modules list', () => {
  const modules = [
    'node:fs',
    'file:///repo/src/cli/main.ts',
    '/repo/node_modules/dockerode/lib/docker.js',
    'file:///repo/node_modules/@grpc/grpc-js/build/src/index.js',
    '/repo/node_modules/docker-modem/node_modules/debug/src/index.js',
    'file:///repo/src/cli/main.ts',
    '/elsewhere/tool.js',
  ];

  it.each([
    [['dockerode'], ['dockerode']],
    [['@grpc/grpc-js', 'pino'], ['@grpc/grpc-js']],
    [['debug'], ['debug']],
    [['docker-modem'], []],
    [['rxjs'], []],
  ])('loadedPackages(%j) must be %j', (packages, expected) => {
    expect(loadedPackages(modules, packages)).toEqual(expected);
  });

  it('loadedSources must list the repository files once, not node_modules nor other places', () => {
    expect(loadedSources(modules, '/repo')).toEqual(['src/cli/main.ts']);
  });
});
