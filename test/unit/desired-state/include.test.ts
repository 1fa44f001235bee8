import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/desired-state/load.js';
import type { ManifestIssue } from '../../../src/desired-state/manifest-issue.js';
import type { Project } from '../../../src/desired-state/model.js';
import { writeManifestTree, yaml } from '../../support/manifest-files.js';

// `include:` as Compose v2 reads it: each included file with its own project directory and env file, its
// resources added to the project, conflicts and cycles reported with file and line.

function load(files: Record<string, string>, environment: Record<string, string> = {}) {
  const directory = writeManifestTree(files, { directoryName: 'shop' });
  return { directory, result: loadDesiredState(directory, { environment }) };
}

function loaded(files: Record<string, string>, environment: Record<string, string> = {}): { directory: string; project: Project } {
  const { directory, result } = load(files, environment);
  if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
  return { directory, project: result.state.projects[0]! };
}

function rejected(files: Record<string, string>): { directory: string; issues: ManifestIssue[] } {
  const { directory, result } = load(files);
  if (result.ok) throw new Error('expected the manifest to be rejected');
  return { directory, issues: result.issues };
}

describe('include', () => {
  it('the short form must add the included services, networks, volumes, secrets and configs', () => {
    const { project } = loaded({
      'compose.yaml': yaml`
        include: [db/compose.yaml]
        services:
          api: { image: app, depends_on: [db] }
      `,
      'db/compose.yaml': yaml`
        services:
          db: { image: postgres, networks: [back], volumes: ["data:/var/lib/postgresql"], secrets: [pw], configs: [conf] }
        networks: { back: {} }
        volumes: { data: {} }
        secrets: { pw: { file: ./pw.txt } }
        configs: { conf: { content: "x" } }
      `,
      'db/pw.txt': 'secret',
    });
    expect(Object.keys(project.services).sort()).toEqual(['api', 'db']);
    expect(Object.keys(project.networks)).toContain('back');
    expect(Object.keys(project.volumes)).toEqual(['data']);
    expect(project.secrets.pw!.file).toBe(join(project.workingDir, 'db', 'pw.txt'));
    expect(Object.keys(project.configs)).toEqual(['conf']);
    expect(project.graph.dependencies.api).toEqual(['db']);
  });

  it('relative paths in an included file must resolve against its own project directory', () => {
    const { project } = loaded({
      'compose.yaml': 'include: [db/compose.yaml]\nservices: {}\n',
      'db/compose.yaml': yaml`
        services:
          db:
            build: ./image
            env_file: [db.env]
            volumes: ["./init:/docker-entrypoint-initdb.d:ro"]
      `,
      'db/db.env': 'A=1\n',
    });
    const db = project.services.db!;
    expect(db.build!.context).toBe(join(project.workingDir, 'db', 'image'));
    expect(db.environment.A).toBe('1');
    expect(db.volumes[0]).toMatchObject({ type: 'bind', source: join(project.workingDir, 'db', 'init') });
  });

  it('an included file must be interpolated with the .env of its own project directory, the includer`s environment winning', () => {
    const { project } = loaded({
      'compose.yaml': 'include: [db/compose.yaml]\nservices: {}\n',
      '.env': 'SHARED=from-main\n',
      'db/compose.yaml': 'services:\n  db:\n    image: "postgres:${PG_TAG}"\n    environment: { SHARED: "${SHARED}", STACK: "${COMPOSE_PROJECT_NAME}" }\n',
      'db/.env': 'PG_TAG=16\nSHARED=from-included\n',
    });
    expect(project.services.db!.image).toBe('postgres:16');
    expect(project.services.db!.environment).toMatchObject({ SHARED: 'from-main', STACK: 'shop' });
  });

  it('the long form must take path lists, project_directory and env_file', () => {
    const { project } = loaded({
      'compose.yaml': yaml`
        include:
          - path: [parts/db.yaml, parts/db.override.yaml]
            project_directory: parts/home
            env_file: config/db.env
        services: {}
      `,
      'parts/db.yaml': 'services:\n  db:\n    image: "postgres:${PG_TAG}"\n    volumes: ["./data:/data"]\n',
      'parts/db.override.yaml': 'services:\n  db:\n    command: ["postgres", "-c", "fsync=off"]\n',
      'config/db.env': 'PG_TAG=15\n',
    });
    const db = project.services.db!;
    expect(db.image).toBe('postgres:15');
    expect(db.command).toEqual(['postgres', '-c', 'fsync=off']);
    expect(db.volumes[0]).toMatchObject({ source: join(project.workingDir, 'parts', 'home', 'data') });
  });

  it('nested includes must be loaded, each relative to its own file', () => {
    const { project } = loaded({
      'compose.yaml': 'include: [a/compose.yaml]\nservices: {}\n',
      'a/compose.yaml': 'include: [b/compose.yaml]\nservices:\n  a: { image: a }\n',
      'a/b/compose.yaml': 'services:\n  b: { image: b, build: . }\n',
    });
    expect(Object.keys(project.services).sort()).toEqual(['a', 'b']);
    expect(project.services.b!.build!.context).toBe(join(project.workingDir, 'a', 'b'));
  });

  it('included files and their env files must be recorded on the project', () => {
    const { project } = loaded({
      'compose.yaml': 'include: [db/compose.yaml]\nservices: {}\n',
      'db/compose.yaml': 'services:\n  db: { image: x }\n',
      'db/.env': 'A=1\n',
    });
    expect(project.referencedFiles).toEqual([join(project.workingDir, 'db', '.env'), join(project.workingDir, 'db', 'compose.yaml')]);
    expect(project.configFiles).toEqual([join(project.workingDir, 'compose.yaml')]);
  });

  it('a service defined both in the includer and the included file must be an error naming both files', () => {
    const { directory, issues } = rejected({
      'compose.yaml': 'include: [db.yaml]\nservices:\n  db: { image: other }\n',
      'db.yaml': 'services:\n  db: { image: postgres }\n',
    });
    expect(issues).toContainEqual(
      expect.objectContaining({
        file: join(directory, 'compose.yaml'),
        line: 3,
        path: 'services.db',
        message: expect.stringMatching(/conflicts with imported resource.*db\.yaml:2/),
      }),
    );
  });

  it('an include cycle must be reported at the include entry with the chain of files', () => {
    const { directory, issues } = rejected({
      'compose.yaml': 'include: [a.yaml]\nservices: {}\n',
      'a.yaml': 'services:\n  a: { image: a }\ninclude:\n  - compose.yaml\n',
    });
    expect(issues).toContainEqual(
      expect.objectContaining({ file: join(directory, 'a.yaml'), line: 4, path: 'include[0]', message: expect.stringMatching(/include cycle: .*compose\.yaml -> .*a\.yaml -> .*compose\.yaml/) }),
    );
  });

  it('an error inside an included file must name that file and line', () => {
    const { directory, issues } = rejected({
      'compose.yaml': 'include: [db/compose.yaml]\nservices: {}\n',
      'db/compose.yaml': 'services:\n  db:\n    image: x\n    restart: sometimes\n',
    });
    expect(issues).toContainEqual(expect.objectContaining({ file: join(directory, 'db', 'compose.yaml'), line: 4, path: 'services.db.restart' }));
  });

  it('a semantic error in an included service must name the included file', () => {
    const { directory, issues } = rejected({
      'compose.yaml': 'include: [db/compose.yaml]\nservices: {}\n',
      'db/compose.yaml': 'services:\n  db:\n    image: x\n    depends_on: [nowhere]\n',
    });
    expect(issues).toContainEqual(expect.objectContaining({ file: join(directory, 'db', 'compose.yaml'), line: 4, path: 'services.db.depends_on.nowhere' }));
  });

  it('a missing included file must be reported at its include entry', () => {
    const { directory, issues } = rejected({ 'compose.yaml': 'services: {}\ninclude:\n  - missing.yaml\n' });
    expect(issues).toContainEqual(
      expect.objectContaining({ file: join(directory, 'compose.yaml'), line: 3, path: 'include[0]', message: expect.stringContaining('no such file') }),
    );
  });
});
