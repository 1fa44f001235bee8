import { rmSync } from 'node:fs';
import { loadDesiredState } from '../../desired-state/load.js';
import type { Project } from '../../desired-state/model.js';
import { stackFixture, type StackFixture } from '../../../test/support/converge-fixture.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../../../test/support/engine.js';
import { createBackupEngine, type BackupEngine } from '../backup-engine.js';
import { runBackupCli, type CapturedRun } from './backup-cli.test-support.js';

// A backup scenario's stack: the testdata copied to a temp dir with a unique project name, `apply`
// through the CLI, `backup ...` through the backup command, docker exec in a service, and cleanup of
// everything the project and its throwaway containers left.

export interface BackupStack extends StackFixture {
  engine: BackupEngine;
  backup(subcommand: string, ...args: string[]): Promise<CapturedRun>;
  /** `docker exec` in the service's first container; returns stdout. */
  exec(service: string, ...command: string[]): Promise<string>;
  containerName(service: string): string;
  project(): Project;
  cleanup(): Promise<void>;
}

export function backupStack(testdataName: string, prefix: string): BackupStack {
  const stack = stackFixture(testdataName, uniqueProjectName(prefix));
  const dockerHost = process.env.DOCKER_HOST;
  const env = { PATH: process.env.PATH, DOCKER_HOST: dockerHost };
  const containerName = (service: string) => `${stack.projectName}-${service}-1`;
  return {
    ...stack,
    engine: createBackupEngine(dockerHost === undefined ? {} : { dockerHost }),
    backup: (subcommand, ...args) => runBackupCli(['backup', subcommand, stack.directory, '--project-name', stack.projectName, ...args], { env }),
    exec: (service, ...command) => runDocker(['exec', containerName(service), ...command]),
    containerName,
    project() {
      const result = loadDesiredState(stack.directory, { projectName: stack.projectName, environment: env });
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return result.state.projects[0]!;
    },
    async cleanup() {
      const helpers = (await runDocker(['ps', '-aq', '--filter', `label=io.composelet.backup-helper=${stack.projectName}`])).split('\n').filter(Boolean);
      if (helpers.length > 0) await runDocker(['rm', '-f', ...helpers]);
      await removeProjectObjects(testEngine(), stack.projectName);
      rmSync(stack.directory, { recursive: true, force: true });
    },
  };
}

/** Throwaway containers of the project still around (there must be none after a run). */
export async function leftoverHelpers(projectName: string): Promise<string[]> {
  return (await runDocker(['ps', '-aq', '--filter', `label=io.composelet.backup-helper=${projectName}`])).split('\n').filter(Boolean);
}
