import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContainerInspect, EnginePort } from '../../src/engine/engine-port.js';
import { projectFilter } from '../../src/reconciler/labels.js';
import { runCliCaptured } from './run-cli.js';

// A scenario's stack: its testdata copied to a temp dir (so a test may edit it), a unique project name,
// and the CLI run in-process against the real engine.

export interface StackFixture {
  directory: string;
  /** This stack's audit log. */
  auditLog: string;
  projectName: string;
  file: string;
  run(command: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  edit(transform: (text: string) => string): void;
}

export function stackFixture(testdataName: string, projectName: string): StackFixture {
  const source = fileURLToPath(new URL(`../engine/testdata/${testdataName}`, import.meta.url));
  const directory = mkdtempSync(join(tmpdir(), `composelet-${testdataName}-`));
  cpSync(source, directory, { recursive: true });
  const file = join(directory, 'compose.yaml');
  const auditLog = join(directory, '.audit', 'audit.log');
  return {
    directory,
    auditLog,
    projectName,
    file,
    run: (command, ...args) =>
      runCliCaptured([command, directory, '--project-name', projectName, ...args], {
        env: { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST, COMPOSELET_AUDIT_LOG: auditLog },
      }),
    edit: (transform) => writeFileSync(file, transform(readFileSync(file, 'utf8'))),
  };
}

/** Every container of the project (owned or not), inspected, by service name (replica 1). */
export async function inspectProject(engine: EnginePort, projectName: string): Promise<Record<string, ContainerInspect>> {
  const containers = await engine.listContainers({ label: [projectFilter(projectName)] });
  const result: Record<string, ContainerInspect> = {};
  for (const container of containers) {
    const inspect = await engine.inspectContainer(container.Id);
    const service = inspect.Config.Labels?.['com.docker.compose.service'] ?? inspect.Name;
    result[service] = inspect;
  }
  return result;
}

/** Id, start time and finish time: what a no-op must leave exactly as it was. */
export function identity(inspect: ContainerInspect): string {
  return `${inspect.Id} ${inspect.State.StartedAt} ${inspect.State.FinishedAt}`;
}
