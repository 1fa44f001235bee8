import { describe, expect, it } from 'vitest';
import { projectFromYaml } from '../../reconciler/observe/observed-builders.test-support.js';
import { dotenvProvenanceOf, recordedEntry } from './dotenv-provenance.js';

describe('.env provenance by field', () => {
  it.each([
    [['services', 'api', 'environment', 'KEY'], 'value', { kind: 'environment', key: 'KEY', value: 'value' }],
    [['services', 'api', 'environment', 0], 'KEY=value=x', { kind: 'environment', key: 'KEY', value: 'value=x' }],
    [['services', 'api', 'build', 'args', 'TOKEN'], 'value', { kind: 'buildArgs', key: 'TOKEN', value: 'value' }],
    [['services', 'api', 'labels', 1], 'team=a', { kind: 'labels', key: 'team', value: 'a' }],
    [['services', 'api', 'post_start', 0, 'environment', 'K'], 'v', { kind: 'hookEnvironment', key: 'K', value: 'v' }],
    [['services', 'api', 'build', 'labels', 'x'], 'v', null],
    [['services', 'api', 'image'], 'postgres:15', null],
    [['services', 'api', 'environment', 0], 'NO_VALUE', null],
  ])('the record at %j holding %j must be %j', (path, value, expected) => {
    expect(recordedEntry({ path, value, usedVariables: ['VARIABLE'] })).toEqual(expected);
  });

  it('only keys set to the value a .env variable made must count, whatever the service is called in its file', () => {
    const service = projectFromYaml(`
services:
  app:
    image: busybox
    command: ["run", "--secret", "from-dotenv", "postgres"]
    environment: { FROM_DOTENV: from-dotenv, SAME_KEY_OTHER_VALUE: literal, LISTED: x, FROM_PROCESS: y }
    labels: { team: from-dotenv }
`).services['app']!;
    const provenance = dotenvProvenanceOf({
      service,
      interpolatedStrings: [
        { path: ['services', 'base', 'environment', 'FROM_DOTENV'], value: 'from-dotenv', usedVariables: ['SECRET'] },
        { path: ['services', 'app', 'environment', 'SAME_KEY_OTHER_VALUE'], value: 'other', usedVariables: ['SECRET'] },
        { path: ['services', 'app', 'environment', 'FROM_PROCESS'], value: 'y', usedVariables: ['HOME'] },
        { path: ['services', 'app', 'labels', 'team'], value: 'from-dotenv', usedVariables: ['SECRET'] },
        { path: ['services', 'app', 'command', 2], value: 'from-dotenv', usedVariables: ['SECRET'] },
      ],
      dotenvNames: new Set(['SECRET', 'LISTED']),
      environmentWithoutValue: ['LISTED'],
      lookup: (name) => ({ SECRET: 'from-dotenv', HOME: 'y' })[name],
    });
    expect(provenance).toEqual({ environment: ['FROM_DOTENV', 'LISTED'], buildArgs: [], labels: ['team'], hookEnvironment: [], command: [2], entrypoint: [] });
  });

  it('in a command written as one string, only the words holding the value must count', () => {
    const service = projectFromYaml(`
services:
  app:
    image: busybox
    command: redis-server --requirepass from-dotenv --port 6379
`).services['app']!;
    const provenance = dotenvProvenanceOf({
      service,
      interpolatedStrings: [{ path: ['services', 'app', 'command'], value: 'redis-server --requirepass from-dotenv --port 6379', usedVariables: ['SECRET'] }],
      dotenvNames: new Set(['SECRET']),
      environmentWithoutValue: [],
      lookup: () => 'from-dotenv',
    });
    expect(provenance.command).toEqual([2]);
  });
});
