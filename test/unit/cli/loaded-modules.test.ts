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

describe('reading an esbuild metafile', () => {
  it('packagesOfOutputs must name, per output file, the innermost package of each input', async () => {
    const { packagesOfOutputs } = await import('./support/loaded-modules.js');
    const metafile = {
      outputs: {
        'dist/cli/main.js': { inputs: { 'src/cli/main.ts': {} } },
        'dist/cli/main.js.map': { inputs: {} },
        'dist/chunks/chunk-A.js': {
          inputs: { '../main/node_modules/dockerode/lib/docker.js': {}, 'node_modules/docker-modem/node_modules/debug/src/index.js': {}, 'node_modules/@grpc/grpc-js/build/index.js': {}, 'src/engine/docker-engine.ts': {} },
        },
      },
    };
    expect(packagesOfOutputs(metafile)).toEqual(new Map([['main.js', []], ['chunk-A.js', ['@grpc/grpc-js', 'debug', 'dockerode']]]));
  });
});
