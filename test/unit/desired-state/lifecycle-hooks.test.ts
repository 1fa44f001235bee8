import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/desired-state/load.js';
import type { LifecycleHook, Service } from '../../../src/desired-state/model.js';
import { writeManifestTree, yaml } from '../../support/manifest-files.js';

// `post_start` and `pre_stop` load into the model: commands split into words like `command`, environment
// resolved and sorted like the service's; bad hooks are rejected with file, line and cause.

function load(compose: string, environment: Record<string, string> = {}) {
  const directory = writeManifestTree({ 'compose.yaml': compose }, { directoryName: 'proj' });
  return loadDesiredState(directory, { environment, homeDir: '/home/op' });
}

function serviceOf(compose: string, environment: Record<string, string> = {}): Service {
  const result = load(compose, environment);
  if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
  return result.state.projects[0]!.services.app!;
}

const hook = (fields: Partial<LifecycleHook>): LifecycleHook => ({
  command: [],
  user: null,
  privileged: false,
  workingDir: null,
  environment: {},
  ...fields,
});

describe('lifecycle hooks in the model', () => {
  it.each<[string, string, Partial<Pick<Service, 'postStart' | 'preStop'>>]>([
    ['no hooks must give empty lists', '', { postStart: [], preStop: [] }],
    [
      'a command string must be split into shell words',
      `    post_start:\n      - command: sh -c "touch '/tmp/started here'"`,
      { postStart: [hook({ command: ['sh', '-c', "touch '/tmp/started here'"] })] },
    ],
    [
      'a command list must be kept as written',
      '    pre_stop:\n      - command: ["sh", "-c", "echo bye"]',
      { preStop: [hook({ command: ['sh', '-c', 'echo bye'] })] },
    ],
    [
      'user, privileged and working_dir must be read',
      '    post_start:\n      - { command: "true", user: root, privileged: "true", working_dir: /srv }',
      { postStart: [hook({ command: ['true'], user: 'root', privileged: true, workingDir: '/srv' })] },
    ],
    [
      'environment must be a sorted map, list or dict, bare names from the environment',
      '    post_start:\n      - { command: "true", environment: [ZED=1, ALPHA=2, FROM_HOST, UNSET] }\n    pre_stop:\n      - { command: "true", environment: { B: 2, A: "x" } }',
      {
        postStart: [hook({ command: ['true'], environment: { ALPHA: '2', FROM_HOST: 'host value', ZED: '1' } })],
        preStop: [hook({ command: ['true'], environment: { A: 'x', B: '2' } })],
      },
    ],
    [
      'several hooks must keep their order',
      '    post_start:\n      - command: first\n      - command: second',
      { postStart: [hook({ command: ['first'] }), hook({ command: ['second'] })] },
    ],
  ])('%s', (_name, hooks, expected) => {
    const service = serviceOf(`services:\n  app:\n    image: x\n${hooks}\n`, { FROM_HOST: 'host value' });
    expect(service).toMatchObject(expected);
  });

  it('hooks must not change the spec hash (a hook change never recreates the container)', () => {
    const without = serviceOf('services:\n  app:\n    image: x\n');
    const withHooks = serviceOf('services:\n  app:\n    image: x\n    post_start:\n      - command: "true"\n');
    expect(withHooks.specHash).toBe(without.specHash);
  });
});

describe('bad lifecycle hooks', () => {
  it.each<[string, string, { line: number; path: string; message: RegExp }]>([
    [
      'a hook without a command must be rejected',
      yaml`
        services:
          app:
            image: x
            post_start:
              - user: root
      `,
      { line: 5, path: 'services.app.post_start[0].command', message: /expected a string or a list of strings/ },
    ],
    [
      'an unknown key in a hook must be named',
      yaml`
        services:
          app:
            image: x
            pre_stop:
              - command: "true"
                workingdir: /srv
      `,
      { line: 6, path: 'services.app.pre_stop[0].workingdir', message: /unknown key "workingdir"; did you mean "working_dir"/ },
    ],
    [
      'a hook list that is a map must be rejected',
      yaml`
        services:
          app:
            image: x
            post_start:
              command: "true"
      `,
      { line: 4, path: 'services.app.post_start', message: /expected a list, got a map/ },
    ],
    [
      'an unbalanced quote in a hook command must be reported at the command',
      yaml`
        services:
          app:
            image: x
            post_start:
              - command: sh -c "echo
      `,
      { line: 5, path: 'services.app.post_start[0].command', message: /unterminated double quote/ },
    ],
  ])('%s', (_name, compose, expected) => {
    const result = load(compose);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toContainEqual(expect.objectContaining({ file: expect.stringMatching(/compose\.yaml$/), ...expected, message: expect.stringMatching(expected.message) }));
  });
});
