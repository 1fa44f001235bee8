import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState, type LoadOptions } from '../../../src/desired-state/load.js';
import type { Project } from '../../../src/desired-state/model.js';
import { writeManifestTree, yaml } from '../../support/manifest-files.js';

function loadProject(files: Record<string, string>, options: LoadOptions = {}, directoryName = 'shop'): Project {
  const directory = writeManifestTree(files, { directoryName });
  const result = loadDesiredState(directory, { environment: {}, ...options });
  if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
  expect(result.state.projects).toHaveLength(1);
  return result.state.projects[0]!;
}

describe('interpolation', () => {
  const compose = yaml`
    services:
      api:
        image: "app:\${TAG:-latest}"
        environment:
          FROM_DOTENV: \${FROM_DOTENV}
          OVERRIDDEN: \${OVERRIDDEN}
          DASH_DEFAULT: \${EMPTY-unset-only}
          COLON_DEFAULT: \${EMPTY:-empty-or-unset}
          LITERAL: "$$HOME"
  `;

  it('.env values and process environment must be interpolated, the process environment winning', () => {
    const project = loadProject(
      { 'compose.yaml': compose, '.env': 'FROM_DOTENV=dotenv\nOVERRIDDEN=dotenv\nEMPTY=\nTAG=1.2\n' },
      { environment: { OVERRIDDEN: 'process' } },
    );
    const api = project.services.api!;
    expect(api.image).toBe('app:1.2');
    expect(api.environment).toEqual({
      COLON_DEFAULT: 'empty-or-unset',
      DASH_DEFAULT: '',
      FROM_DOTENV: 'dotenv',
      LITERAL: '$HOME',
      OVERRIDDEN: 'process',
    });
  });

  it('an unset variable without default must become empty and give a warning', () => {
    const directory = writeManifestTree({ 'compose.yaml': 'services:\n  a:\n    image: "x${MISSING}"\n' });
    const result = loadDesiredState(directory, { environment: {} });
    expect(result.ok).toBe(true);
    expect(result.warnings.map((warning) => warning.message).join()).toContain('"MISSING" variable is not set');
    if (result.ok) expect(result.state.projects[0]!.services.a!.image).toBe('x');
  });
});

describe('merging several files', () => {
  it('an override file beside the compose file must be merged over it', () => {
    const project = loadProject({
      'compose.yaml': yaml`
        services:
          api:
            image: app:1
            environment: [A=1, B=2]
            ports: ["127.0.0.1:8080:80"]
      `,
      'compose.override.yaml': yaml`
        services:
          api:
            image: app:2
            environment: { B: "3", C: "4" }
            ports: ["127.0.0.1:9090:90"]
      `,
    });
    const api = project.services.api!;
    expect(api.image).toBe('app:2');
    expect(api.environment).toEqual({ A: '1', B: '3', C: '4' });
    expect(api.ports.map((port) => port.hostPort)).toEqual([8080, 9090]);
    expect(project.configFiles.map((file) => file.split('/').pop())).toEqual(['compose.yaml', 'compose.override.yaml']);
  });

  it('files given with --file must be merged in the order given', () => {
    const directory = writeManifestTree({
      'base.yaml': 'services:\n  api: { image: app:1, command: ["a"] }\n',
      'prod.yaml': 'services:\n  api: { command: ["b", "c"] }\n',
    });
    const result = loadDesiredState(directory, { files: ['base.yaml', 'prod.yaml'], environment: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.state.projects[0]!.services.api!.command).toEqual(['b', 'c']);
  });
});

describe('YAML anchors, aliases and merge keys', () => {
  it('merge keys must be applied and x- fields ignored', () => {
    const project = loadProject({
      'compose.yaml': yaml`
        x-common: &common
          image: app:1
          restart: always
          labels: { team: core }
        services:
          a:
            <<: *common
            restart: "no"
          b: *common
      `,
    });
    expect(project.services.a!.restart.name).toBe('no');
    expect(project.services.a!.labels).toEqual({ team: 'core' });
    expect(project.services.b!.restart.name).toBe('always');
  });
});

describe('extends', () => {
  it('a service must extend another from the same file', () => {
    const project = loadProject({
      'compose.yaml': yaml`
        services:
          base:
            image: app:1
            environment: { A: "1" }
          worker:
            extends: base
            command: ["work"]
            environment: { B: "2" }
      `,
    });
    expect(project.services.worker).toMatchObject({ image: 'app:1', command: ['work'], environment: { A: '1', B: '2' } });
  });

  it('a service extending one from another file must resolve that file`s relative paths against its directory', () => {
    const project = loadProject({
      'compose.yaml': yaml`
        services:
          api:
            extends: { file: common/base.yaml, service: web }
      `,
      'common/base.yaml': yaml`
        services:
          web:
            build: ./web
            volumes: ["./static:/static:ro"]
      `,
    });
    const api = project.services.api!;
    expect(api.build!.context).toBe(join(project.workingDir, 'common', 'web'));
    expect(api.volumes[0]).toMatchObject({ type: 'bind', source: join(project.workingDir, 'common', 'static'), target: '/static', readOnly: true });
  });
});

describe('profiles', () => {
  const compose = yaml`
    services:
      api: { image: app:1 }
      debug: { image: tools:1, profiles: [debug] }
      metrics: { image: prom:1, profiles: [monitoring] }
  `;

  it('services in inactive profiles must not be desired', () => {
    const project = loadProject({ 'compose.yaml': compose });
    expect(Object.keys(project.services)).toEqual(['api']);
    expect(project.inactiveServices).toEqual(['debug', 'metrics']);
  });

  it('--profile must enable a profile', () => {
    const project = loadProject({ 'compose.yaml': compose }, { profiles: ['debug'] });
    expect(Object.keys(project.services)).toEqual(['api', 'debug']);
  });

  it('COMPOSE_PROFILES must enable profiles too', () => {
    const project = loadProject({ 'compose.yaml': compose }, { environment: { COMPOSE_PROFILES: 'debug,monitoring' } });
    expect(Object.keys(project.services)).toEqual(['api', 'debug', 'metrics']);
  });
});

describe('project names', () => {
  it.each<[string, Record<string, string>, LoadOptions, string, string]>([
    ['--project-name wins over name: in the file', { 'compose.yaml': 'name: fromfile\nservices:\n  a: { image: x }\n' }, { projectName: 'flag' }, 'Dir', 'flag'],
    ['--project-name comes next', { 'compose.yaml': 'services:\n  a: { image: x }\n' }, { projectName: 'flag' }, 'Dir', 'flag'],
    ['the directory name is normalized', { 'compose.yaml': 'services:\n  a: { image: x }\n' }, {}, '_My.Shop App', 'myshopapp'],
  ])('%s', (_name, files, options, directoryName, expected) => {
    expect(loadProject(files, options, directoryName).name).toBe(expected);
  });
});

describe('manifests root', () => {
  it('each subdirectory with a compose file must be a project', () => {
    const root = writeManifestTree({
      'billing/compose.yaml': 'services:\n  api: { image: x }\n',
      'search/docker-compose.yml': 'services:\n  engine: { image: y }\n',
      'notes/README.md': 'not a project',
    });
    const result = loadDesiredState(root, { environment: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.state.projects.map((project) => project.name)).toEqual(['billing', 'search']);
  });

  it('a broken project must be reported with its file while naming every problem', () => {
    const root = writeManifestTree({
      'billing/compose.yaml': 'services:\n  api: { image: x }\n',
      'search/compose.yaml': 'services:\n  engine: { imag: y }\n',
    });
    const result = loadDesiredState(root, { environment: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.file).toBe(join(root, 'search', 'compose.yaml'));
  });
});

describe('x-composelet', () => {
  it('composelet settings must be carried at project and service level', () => {
    const project = loadProject({
      'compose.yaml': yaml`
        x-composelet:
          prune: false
        services:
          db:
            image: x
            x-composelet:
              backup: { preset: postgres, schedule: "0 3 * * *" }
      `,
    });
    expect(project.composelet).toEqual({ prune: false });
    expect(project.services.db!.composelet).toEqual({ backup: { preset: 'postgres', schedule: '0 3 * * *' } });
  });
});
