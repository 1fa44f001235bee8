import { describe, expect, it } from 'vitest';
import { loadDesiredState, type LoadOptions } from '../../../src/desired-state/load.js';
import { writeManifestTree } from '../../support/manifest-files.js';

// The project name as Compose v2 derives it: -p, then COMPOSE_PROJECT_NAME from the environment, then from
// the project's .env, then the top-level `name:` (normalized), then the directory name (normalized).

const named = 'name: fromfile\nservices:\n  a: { image: x }\n';
const unnamed = 'services:\n  a: { image: x }\n';

function projectName(files: Record<string, string>, options: LoadOptions, directoryName = 'Dir') {
  const directory = writeManifestTree(files, { directoryName });
  const result = loadDesiredState(directory, { environment: {}, ...options });
  if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
  return result.state.projects[0]!;
}

describe('project name', () => {
  it.each<[string, Record<string, string>, LoadOptions, string]>([
    ['--project-name must win over name: in the file', { 'compose.yaml': named }, { projectName: 'flag' }, 'flag'],
    ['--project-name must win over COMPOSE_PROJECT_NAME', { 'compose.yaml': named, '.env': 'COMPOSE_PROJECT_NAME=dotenv\n' }, { projectName: 'flag', environment: { COMPOSE_PROJECT_NAME: 'env' } }, 'flag'],
    ['COMPOSE_PROJECT_NAME from the environment must win over .env and name:', { 'compose.yaml': named, '.env': 'COMPOSE_PROJECT_NAME=dotenv\n' }, { environment: { COMPOSE_PROJECT_NAME: 'env' } }, 'env'],
    ['COMPOSE_PROJECT_NAME from .env must win over name:', { 'compose.yaml': named, '.env': 'COMPOSE_PROJECT_NAME=dotenv\n' }, {}, 'dotenv'],
    ['an empty COMPOSE_PROJECT_NAME must be ignored', { 'compose.yaml': named, '.env': 'COMPOSE_PROJECT_NAME=\n' }, {}, 'fromfile'],
    ['name: must be normalized as v2 does', { 'compose.yaml': 'name: "My.Shop_App-2"\nservices:\n  a: { image: x }\n' }, {}, 'myshop_app-2'],
    ['name: must be interpolated', { 'compose.yaml': 'name: "shop-${STAGE}"\nservices:\n  a: { image: x }\n', '.env': 'STAGE=prod\n' }, {}, 'shop-prod'],
    ['the last name: of the files must win', { 'compose.yaml': named, 'compose.override.yaml': 'name: other\n' }, {}, 'other'],
    ['the directory name is the fallback', { 'compose.yaml': unnamed }, {}, 'dir'],
  ])('%s', (_name, files, options, expected) => {
    expect(projectName(files, options).name).toBe(expected);
  });

  it('${COMPOSE_PROJECT_NAME} must be the resolved name in interpolation', () => {
    const project = projectName(
      { 'compose.yaml': 'services:\n  a:\n    image: x\n    environment: { STACK: "${COMPOSE_PROJECT_NAME}" }\n', '.env': 'COMPOSE_PROJECT_NAME=fromdotenv\n' },
      { projectName: 'flag' },
    );
    expect(project.services.a!.environment.STACK).toBe('flag');
  });

  it('${COMPOSE_PROJECT_NAME} must be the directory name when nothing else names the project', () => {
    const project = projectName({ 'compose.yaml': 'services:\n  a:\n    image: x\n    container_name: ${COMPOSE_PROJECT_NAME}-a\n' }, {}, 'Shop');
    expect(project.services.a!.containerName).toBe('shop-a');
  });

  it.each<[string, Record<string, string>, LoadOptions, string]>([
    ['an invalid --project-name must be rejected', { 'compose.yaml': unnamed }, { projectName: 'Bad Name' }, '--project-name'],
    ['an invalid COMPOSE_PROJECT_NAME must be rejected', { 'compose.yaml': unnamed }, { environment: { COMPOSE_PROJECT_NAME: 'Bad Name' } }, 'COMPOSE_PROJECT_NAME'],
  ])('%s', (_name, files, options, path) => {
    const directory = writeManifestTree(files, { directoryName: 'dir' });
    const result = loadDesiredState(directory, { environment: {}, ...options });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]).toMatchObject({ path, message: expect.stringContaining('"Bad Name" is not a valid project name') });
  });

  it('each project of a manifests root must take COMPOSE_PROJECT_NAME from its own .env', () => {
    const root = writeManifestTree({
      'a/compose.yaml': unnamed,
      'a/.env': 'COMPOSE_PROJECT_NAME=alpha\n',
      'b/compose.yaml': unnamed,
    });
    const result = loadDesiredState(root, { environment: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.state.projects.map((project) => project.name)).toEqual(['alpha', 'b']);
  });

  it('COMPOSE_PROJECT_NAME from the environment must not give every project of a manifests root one name', () => {
    const root = writeManifestTree({ 'a/compose.yaml': unnamed, 'b/compose.yaml': unnamed });
    const result = loadDesiredState(root, { environment: { COMPOSE_PROJECT_NAME: 'same' } });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.state.projects.map((project) => project.name)).toEqual(['a', 'b']);
    expect(result.warnings).toContainEqual(expect.objectContaining({ path: 'COMPOSE_PROJECT_NAME', message: expect.stringContaining('ignored') }));
  });
});
