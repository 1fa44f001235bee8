import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { graphCommand } from '../../src/cli/commands/graph.js';
import type { CliIo, OptionValues } from '../../src/cli/command.js';
import { projectFilter } from '../../src/reconciler/labels.js';
import { parseHealth } from '../../src/reconciler/observe/observe-parse.js';
import { eventually } from '../support/eventually.js';
import { removeProjectObjects, runDocker, TERM_AWARE_COMMAND, TEST_IMAGE, testEngine, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree } from '../support/manifest-files.js';

// `composelet graph` against the real engine: containers in each live state (made with the docker CLI and
// composelet's labels, so the states are exact), drawn in their colours; an unreachable engine gives the
// graph without colours, a comment saying why, and exit 0.

const engine = testEngine();
const projectName = uniqueProjectName('graph');
const networkName = `${projectName}_default`;

const manifest = `
services:
  db:
    image: ${TEST_IMAGE}
    restart: always
    healthcheck: { test: ["CMD", "true"], interval: 1s }
  cache:
    image: ${TEST_IMAGE}
    restart: always
  migrate:
    image: ${TEST_IMAGE}
    depends_on: { db: { condition: service_healthy } }
  api:
    image: ${TEST_IMAGE}
    restart: always
    depends_on:
      db: { condition: service_healthy, restart: true }
      migrate: { condition: service_completed_successfully }
      cache: { condition: service_started }
  worker:
    image: ${TEST_IMAGE}
    restart: always
    depends_on: [api]
`;

async function runGraph(args: { path: string; format?: string }, env: Record<string, string | undefined>) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, callback) {
        append(String(chunk));
        callback();
      },
    });
  const io: CliIo = { stdout: sink((text) => (stdout += text)), stderr: sink((text) => (stderr += text)), env, cwd: process.cwd() };
  const values: OptionValues = { 'project-name': projectName, ...(args.format ? { format: args.format } : {}) };
  const code = await graphCommand.run({ positionals: [args.path], values }, io);
  return { code, stdout, stderr };
}

async function runOwnedContainer(service: string, options: string[], command: string[]): Promise<void> {
  await runDocker([
    'run', '--detach', '--name', `${projectName}-${service}-1`, '--network', networkName,
    '--label', `com.docker.compose.project=${projectName}`,
    '--label', `com.docker.compose.service=${service}`,
    '--label', 'com.docker.compose.container-number=1',
    '--label', 'io.composelet.managed=true',
    ...options, TEST_IMAGE, ...command,
  ]);
}

afterAll(async () => {
  await removeProjectObjects(engine, projectName);
});

describe('composelet graph', () => {
  it('services must be coloured by their live state', async () => {
    await runDocker(['network', 'create', '--label', `com.docker.compose.project=${projectName}`, networkName]);
    await runOwnedContainer('db', ['--health-cmd', 'true', '--health-interval', '1s'], TERM_AWARE_COMMAND);
    await runOwnedContainer('api', [], TERM_AWARE_COMMAND);
    await runOwnedContainer('migrate', [], ['true']);
    await runOwnedContainer('worker', [], ['sh', '-c', 'exit 3']);
    await eventually(async () => {
      const containers = await engine.listContainers({ label: [projectFilter(projectName)] });
      const status = (service: string) => containers.find((container) => container.Labels['com.docker.compose.service'] === service)?.Status ?? '';
      expect(parseHealth(status('db'))).toBe('healthy');
      expect(status('migrate')).toMatch(/^Exited \(0\)/);
      expect(status('worker')).toMatch(/^Exited \(3\)/);
    }, { timeoutMs: 30_000, message: 'waiting for db healthy, migrate and worker exited' });
    const directory = writeManifestTree({ 'compose.yaml': manifest });

    const { code, stdout } = await runGraph({ path: directory }, { DOCKER_HOST: process.env.DOCKER_HOST });

    expect(code).toBe(0);
    expect(stdout).toBe(`%% composelet dependency graph of project ${projectName}: an arrow points from a service to what it waits for
%% green: running and healthy; light green: running, no healthcheck; yellow: starting; orange: unhealthy; red: exited or missing; grey: completed one-shot
flowchart TD
  svc_api["api<br/>running"]
  svc_cache["cache<br/>missing"]
  svc_db["db<br/>running, healthy"]
  svc_migrate["migrate<br/>completed"]
  svc_worker["worker<br/>exited (3)"]
  svc_api -->|"started"| svc_cache
  svc_api ==>|"healthy, restart"| svc_db
  svc_api -->|"completed"| svc_migrate
  svc_migrate -->|"healthy"| svc_db
  svc_worker -->|"started"| svc_api
  classDef healthy fill:#4caf50,color:#000
  class svc_db healthy
  classDef running fill:#c8e6c9,color:#000
  class svc_api running
  classDef stopped fill:#e57373,color:#000
  class svc_worker stopped
  classDef missing fill:#e57373,color:#000
  class svc_cache missing
  classDef completed fill:#bdbdbd,color:#000
  class svc_migrate completed
`);
  });

  it('an unreachable engine must give the graph without colours, a comment saying why, and exit 0', async () => {
    const directory = writeManifestTree({ 'compose.yaml': manifest });

    const { code, stdout } = await runGraph({ path: directory, format: 'dot' }, { DOCKER_HOST: 'tcp://127.0.0.1:1' });

    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 3)).toEqual([
      `// composelet dependency graph of project ${projectName}: an arrow points from a service to what it waits for`,
      expect.stringMatching(/^\/\/ services drawn without their live state: cannot reach the Docker engine at tcp:\/\/127\.0\.0\.1:1/),
      `digraph "${projectName}" {`,
    ]);
    expect(stdout).toContain('  "api" [label="api"];');
    expect(stdout).not.toMatch(/fillcolor="#(?!ffffff)/);
  });

  it('an unknown format must be a usage error', async () => {
    const directory = writeManifestTree({ 'compose.yaml': manifest });
    await expect(runGraph({ path: directory, format: 'svg' }, {})).rejects.toThrow('--format must be one of mermaid, dot');
  });
});
