import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/desired-state/load.js';
import type { ManifestIssue } from '../../../src/desired-state/manifest-issue.js';
import { writeManifestTree, yaml } from '../../support/manifest-files.js';

// Every error names the file, the line and column, the path in the document and the cause in plain
// words; all of a file's errors come at once.

interface Expected {
  line: number;
  column?: number;
  path: string;
  message: string | RegExp;
}

function issuesOf(files: Record<string, string>, options: Parameters<typeof loadDesiredState>[1] = {}) {
  const directory = writeManifestTree(files, { directoryName: 'proj' });
  const result = loadDesiredState(directory, { environment: {}, ...options });
  if (result.ok) throw new Error('expected the manifest to be rejected');
  return { directory, issues: result.issues };
}

function expectIssue(issues: ManifestIssue[], file: string, expected: Expected) {
  const match = issues.find(
    (issue) =>
      issue.file === file &&
      issue.line === expected.line &&
      (expected.column === undefined || issue.column === expected.column) &&
      issue.path === expected.path &&
      (typeof expected.message === 'string' ? issue.message.includes(expected.message) : expected.message.test(issue.message)),
  );
  expect(match, `expected ${JSON.stringify(expected)} among\n${JSON.stringify(issues, null, 2)}`).toBeDefined();
}

const cases: Array<[string, string, Expected]> = [
  [
    'an unknown key must be named with a suggestion',
    yaml`
      services:
        api:
          imgae: composelet/busybox:1
    `,
    { line: 3, column: 5, path: 'services.api.imgae', message: 'unknown key "imgae"; did you mean "image"?' },
  ],
  [
    'a key the spec allows but composelet does not support must be named, saying why',
    yaml`
      services:
        api:
          image: x
          external_links: [db]
    `,
    {
      line: 4,
      column: 5,
      path: 'services.api.external_links',
      message: '"external_links" is not supported by composelet: links to containers outside the project are not resolved; put the other container on a shared network instead',
    },
  ],
  [
    'a top-level key the spec allows but composelet does not support must be named',
    yaml`
      services:
        api: { image: x }
      models: { llm: { model: ai/smollm2 } }
    `,
    { line: 3, column: 1, path: 'models', message: '"models" is not supported by composelet: models need Docker Model Runner' },
  ],
  [
    'an undefined dependency must be named with a suggestion',
    yaml`
      services:
        database: { image: x }
        api:
          image: x
          depends_on:
            databse:
              condition: service_started
    `,
    { line: 6, column: 7, path: 'services.api.depends_on.databse', message: 'depends on undefined service "databse"; did you mean "database"?' },
  ],
  [
    'a dependency cycle must name its members',
    yaml`
      services:
        a: { image: x, depends_on: [b] }
        b: { image: x, depends_on: [c] }
        c: { image: x, depends_on: [a] }
    `,
    { line: 2, path: 'services.a.depends_on.b', message: 'dependency cycle: a -> b -> c -> a' },
  ],
  [
    'an undeclared named volume must be reported',
    yaml`
      services:
        db:
          image: x
          volumes: ["data:/var/lib/data"]
    `,
    { line: 4, column: 5, path: 'services.db.volumes', message: 'volume "data" (mounted at /var/lib/data) is not declared' },
  ],
  [
    'an undeclared network must be reported',
    yaml`
      services:
        api:
          image: x
          networks: [backend]
      networks:
        frontend:
    `,
    { line: 4, column: 5, path: 'services.api.networks.backend', message: 'network "backend" is not declared' },
  ],
  [
    'an undeclared secret must be reported',
    yaml`
      services:
        api:
          image: x
          secrets: [db_password]
    `,
    { line: 4, column: 5, path: 'services.api.secrets', message: 'secret "db_password" is not declared' },
  ],
  [
    'an undeclared config must be reported',
    yaml`
      services:
        api:
          image: x
          configs: [app_conf]
    `,
    { line: 4, column: 5, path: 'services.api.configs', message: 'config "app_conf" is not declared' },
  ],
  [
    'two services publishing the same host port must be reported',
    yaml`
      services:
        a: { image: x, ports: ["127.0.0.1:8080:80"] }
        b:
          image: x
          ports: ["8080:81"]
    `,
    { line: 5, column: 5, path: 'services.b.ports', message: 'host port 0.0.0.0:8080/tcp is already published by service "a"' },
  ],
  [
    'a port out of range must be reported',
    yaml`
      services:
        a:
          image: x
          ports: ["127.0.0.1:70000:80"]
    `,
    { line: 4, column: 13, path: 'services.a.ports[0]', message: 'port 70000 out of range (1-65535)' },
  ],
  [
    'a bad duration must be reported',
    yaml`
      services:
        a:
          image: x
          healthcheck:
            test: ["CMD", "true"]
            interval: 10 seconds
    `,
    { line: 6, column: 7, path: 'services.a.healthcheck.interval', message: 'invalid duration "10 seconds"' },
  ],
  [
    'a bad byte size must be reported',
    yaml`
      services:
        a:
          image: x
          mem_limit: lots
    `,
    { line: 4, column: 5, path: 'services.a.mem_limit', message: 'invalid byte size "lots"' },
  ],
  [
    'a duplicate YAML key must be reported',
    yaml`
      services:
        a:
          image: x
          image: y
    `,
    { line: 4, column: 5, path: '', message: 'duplicate key "image"' },
  ],
  [
    'an empty file must be reported',
    '\n# nothing here\n',
    { line: 1, path: '', message: 'the file is empty' },
  ],
  [
    'invalid YAML must be reported at its place',
    yaml`
      services:
        a:
          image: [x
    `,
    { line: 4, path: '', message: /invalid YAML/ },
  ],
  [
    'a wrong type must say what was expected',
    yaml`
      services:
        a:
          image: x
          privileged: maybe
    `,
    { line: 4, column: 5, path: 'services.a.privileged', message: 'expected true or false' },
  ],
  [
    'a service without image or build must be reported',
    yaml`
      services:
        a:
          command: ["true"]
    `,
    { line: 2, column: 3, path: 'services.a', message: 'needs an `image:` or a `build:`' },
  ],
  [
    'a required variable without a value must be reported with its message',
    yaml`
      services:
        a:
          image: \${IMAGE:?set IMAGE to the image tag}
    `,
    { line: 3, column: 5, path: 'services.a.image', message: 'required variable IMAGE is missing a value: set IMAGE to the image tag' },
  ],
  [
    'a malformed interpolation must be reported',
    yaml`
      services:
        a:
          image: "\${IMAGE"
    `,
    { line: 3, column: 5, path: 'services.a.image', message: 'invalid interpolation format' },
  ],
  [
    'an invalid dependency condition must list the valid ones',
    yaml`
      services:
        db: { image: x }
        a:
          image: x
          depends_on:
            db: { condition: service_ready }
    `,
    { line: 6, column: 13, path: 'services.a.depends_on.db.condition', message: 'got "service_ready"; expected one of service_started, service_healthy' },
  ],
  [
    'extending an unknown service must be reported',
    yaml`
      services:
        a:
          extends: base
    `,
    { line: 3, column: 5, path: 'services.a.extends', message: 'extends service "base", which is not defined' },
  ],
  [
    'an extends cycle must be reported',
    yaml`
      services:
        a: { extends: b }
        b: { extends: a }
    `,
    { line: 2, path: 'services.a.extends', message: 'extends forms a cycle' },
  ],
  [
    'a Swarm-only resource reservation must be named, saying why',
    yaml`
      services:
        a:
          image: x
          deploy:
            resources: { reservations: { generic_resources: [] } }
    `,
    { line: 5, column: 36, path: 'services.a.deploy.resources.reservations.generic_resources', message: '"generic_resources" is not supported by composelet' },
  ],
  [
    'an unknown composelet setting must be named with a suggestion',
    yaml`
      services:
        a:
          image: x
          x-composelet:
            healing: { restart_unhealty: false }
    `,
    { line: 5, column: 18, path: 'services.a.x-composelet.healing.restart_unhealty', message: 'did you mean "restart_unhealthy"?' },
  ],
  [
    'a list where a map is expected must say it got a list',
    yaml`
      services:
        a:
          image: x
          x-composelet:
            healing: [a]
    `,
    { line: 5, column: 7, path: 'services.a.x-composelet.healing', message: 'expected a map, got a list' },
  ],
  [
    'mem_limit and deploy limits that disagree must be reported',
    yaml`
      services:
        a:
          image: x
          mem_limit: 128m
          deploy: { resources: { limits: { memory: 256m } } }
    `,
    { line: 4, column: 5, path: 'services.a.mem_limit', message: 'mem_limit and deploy.resources.limits.memory disagree' },
  ],
  [
    'a key indented deeper than the key above it must be reported at its own line, naming it',
    yaml`
      services:
        api:
          image: x
            command: ["run"]
    `,
    { line: 4, column: 7, path: 'services.api.command', message: '"command" is indented deeper than "image" on line 3' },
  ],
  [
    'an unclosed bracket must be reported as invalid YAML, not blamed on the next key\'s indentation',
    yaml`
      services:
        api:
          image: x
          environment:
            GREETING: [edited
          depends_on: [db]
        db:
          image: y
    `,
    { line: 6, column: 5, path: '', message: 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]' },
  ],
  [
    'a bad enum value must say what it got',
    yaml`
      services:
        api:
          image: x
          pull_policy: sometimes
    `,
    { line: 4, column: 5, path: 'services.api.pull_policy', message: 'invalid pull_policy "sometimes": use always, never, missing, build, if_not_present, refresh, daily, weekly or every_<duration>' },
  ],
  [
    'a container_name that fails its pattern must say why in words',
    yaml`
      services:
        api:
          image: x
          container_name: "-api"
    `,
    { line: 4, column: 5, path: 'services.api.container_name', message: 'a container name may hold' },
  ],
];

describe('manifest errors', () => {
  it.each(cases)('%s', (_name, content, expected) => {
    const { directory, issues } = issuesOf({ 'compose.yaml': content });
    expectIssue(issues, join(directory, 'compose.yaml'), expected);
  });

  it('every error in the file must be reported at once', () => {
    const { directory, issues } = issuesOf({
      'compose.yaml': yaml`
        services:
          a:
            imgae: x
            mem_limit: lots
          b:
            image: x
            ports: ["99999:80"]
      `,
    });
    const file = join(directory, 'compose.yaml');
    expectIssue(issues, file, { line: 3, path: 'services.a.imgae', message: 'unknown key' });
    expectIssue(issues, file, { line: 4, path: 'services.a.mem_limit', message: 'invalid byte size' });
    expectIssue(issues, file, { line: 7, path: 'services.b.ports[0]', message: 'out of range' });
  });

  it('an alias bomb must be rejected by bounded expansion', () => {
    let bomb = 'x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let previous = 'a';
    for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
      bomb += `x-${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]\n`;
      previous = name;
    }
    bomb += 'services:\n  a: { image: x }\n';
    const { directory, issues } = issuesOf({ 'compose.yaml': bomb });
    expectIssue(issues, join(directory, 'compose.yaml'), { line: 1, path: '', message: 'too many alias expansions' });
  });

  it('an error in an override file must name the override file', () => {
    const { directory, issues } = issuesOf({
      'compose.yaml': 'services:\n  a: { image: x }\n',
      'compose.override.yaml': 'services:\n  a:\n    restart: sometimes\n',
    });
    expectIssue(issues, join(directory, 'compose.override.yaml'), {
      line: 3,
      path: 'services.a.restart',
      message: 'invalid restart policy "sometimes"',
    });
  });

  it('a missing env_file must be reported at its entry', () => {
    const { directory, issues } = issuesOf({
      'compose.yaml': 'services:\n  a:\n    image: x\n    env_file: [missing.env]\n',
    });
    expectIssue(issues, join(directory, 'compose.yaml'), { line: 4, path: 'services.a.env_file[0]', message: 'does not exist' });
  });

  it('an invalid .env line must be reported with the .env file and line', () => {
    const { directory, issues } = issuesOf({
      'compose.yaml': 'services:\n  a: { image: x }\n',
      '.env': 'GOOD=1\n1BAD=2\n',
    });
    expect(issues.some((issue) => issue.file === join(directory, '.env') && issue.line === 2)).toBe(true);
  });

  it('a missing PATH must be reported by name', () => {
    const result = loadDesiredState('/nonexistent/composelet/path', { environment: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]).toMatchObject({ file: '/nonexistent/composelet/path', message: 'no such file or directory' });
  });

  it('an image that came out invalid from an unset variable must name the variable', () => {
    const { directory, issues } = issuesOf(
      { 'compose.yaml': 'services:\n  api:\n    image: ${REGISTRY}/api:${TAG}\n' },
      { environment: { REGISTRY: 'registry.local' } },
    );
    expectIssue(issues, join(directory, 'compose.yaml'), { line: 3, path: 'services.api.image', message: /TAG is not set/ });
    expect(issues).toHaveLength(1);
  });

  it('a container_name that came out empty must name the empty variable', () => {
    const { directory, issues } = issuesOf(
      { 'compose.yaml': 'services:\n  api:\n    image: x\n    container_name: ${NAME}\n', '.env': 'NAME=\n' },
    );
    expectIssue(issues, join(directory, 'compose.yaml'), { line: 4, path: 'services.api.container_name', message: /came out empty: NAME is empty/ });
    expect(issues.filter((issue) => issue.path === 'services.api.container_name')).toHaveLength(1);
  });

  it('an unknown key and an undefined dependency in one file must both be reported', () => {
    const { directory, issues } = issuesOf({
      'compose.yaml': yaml`
        services:
          db:
            image: x
            imgae: y
          api:
            image: x
            depends_on: [databse]
      `,
    });
    const file = join(directory, 'compose.yaml');
    expectIssue(issues, file, { line: 4, path: 'services.db.imgae', message: 'unknown key "imgae"' });
    expectIssue(issues, file, { line: 7, path: 'services.api.depends_on.databse', message: 'depends on undefined service "databse"' });
  });

  it('a service with a schema error must not make its dependents report it as undefined', () => {
    const { issues } = issuesOf({
      'compose.yaml': 'services:\n  db:\n    image: x\n    ports: [{ target: nope }]\n  api:\n    image: x\n    depends_on: [db]\n',
    });
    expect(issues.map((issue) => issue.message).join('\n')).not.toContain('undefined service');
  });

  it('a secret value must not appear in a type error', () => {
    const { issues } = issuesOf({
      'compose.yaml': 'services:\n  a:\n    image: x\n    environment:\n      DB_PASSWORD: { value: hunter2-sentinel }\n',
    });
    expect(JSON.stringify(issues)).not.toContain('hunter2-sentinel');
  });
});
