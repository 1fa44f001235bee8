import { afterAll, describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../src/desired-state/load.js';
import type { Project } from '../../src/desired-state/model.js';
import { evaluateLivePolicy, policyBlocks } from '../../src/policy/index.js';
import { projectFilter } from '../../src/reconciler/labels.js';
import { removeProjectObjects, runDocker, TERM_AWARE_COMMAND, TEST_IMAGE, testEngine, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree } from '../support/manifest-files.js';

// Policy on live state: containers made by hand with the docker CLI and the project's labels are checked
// with the same rules as the manifests, on the configuration the engine holds. They are created, not
// started: the rules read configuration only, and a privileged container cannot start everywhere the
// tests run (nested engines refuse its capabilities).

const engine = testEngine();
const projectName = uniqueProjectName('policy-live');

function loadProject(): Project {
  const directory = writeManifestTree({
    'compose.yaml': `
x-composelet:
  policy:
    rules: { no-privileged: error }
services:
  risky: { image: ${TEST_IMAGE} }
  careful: { image: ${TEST_IMAGE} }
`,
  });
  const result = loadDesiredState(directory, { projectName, environment: {} });
  if (!result.ok) throw new Error(`fixture rejected: ${JSON.stringify(result.issues)}`);
  return result.state.projects[0]!;
}

const networkName = `${projectName}_default`;

async function createContainer(service: string, options: string[]): Promise<void> {
  await runDocker([
    'create', '--name', `${projectName}-${service}-1`, '--network', networkName,
    '--label', `com.docker.compose.project=${projectName}`,
    '--label', `com.docker.compose.service=${service}`,
    ...options,
    TEST_IMAGE, ...TERM_AWARE_COMMAND,
  ]);
}

afterAll(async () => {
  await removeProjectObjects(engine, projectName);
});

describe('policy on live containers', () => {
  it('a container run by hand with risky settings must break the rules, and a careful one none', async () => {
    await runDocker(['network', 'create', '--label', `com.docker.compose.project=${projectName}`, networkName]);
    await createContainer('risky', ['--privileged', '--restart', 'unless-stopped', '--publish', '80', '--volume', '/etc:/host-etc:ro']);
    await createContainer('careful', [
      '--user', '1000:1000', '--memory', '64m', '--security-opt', 'no-new-privileges:true',
      '--restart', 'unless-stopped', '--health-cmd', 'true', '--publish', '127.0.0.1::80', '--log-opt', 'max-size=10m',
    ]);
    const summaries = await engine.listContainers({ label: [projectFilter(projectName)] });
    const inspects = await Promise.all(summaries.map((summary) => engine.inspectContainer(summary.Id)));

    const findings = evaluateLivePolicy(loadProject(), inspects);

    expect(findings.map((finding) => [finding.level, finding.ruleId, finding.path, finding.container])).toEqual([
      ['error', 'no-privileged', 'services.risky.privileged', `${projectName}-risky-1`],
      ['warning', 'no-sensitive-mounts', 'services.risky.volumes', `${projectName}-risky-1`],
      ['warning', 'no-public-ports', 'services.risky.ports', `${projectName}-risky-1`],
      ['warning', 'memory-limit-required', 'services.risky.mem_limit', `${projectName}-risky-1`],
      ['warning', 'healthcheck-required', 'services.risky.healthcheck', `${projectName}-risky-1`],
      ['warning', 'no-new-privileges-required', 'services.risky.security_opt', `${projectName}-risky-1`],
      ['warning', 'non-root-user', 'services.risky.user', `${projectName}-risky-1`],
      ['warning', 'log-rotation-required', 'services.risky.logging', `${projectName}-risky-1`],
    ]);
    expect(findings.find((finding) => finding.ruleId === 'no-public-ports')?.message).toBe('publishes 80/tcp on a random host port on every interface');
    expect(findings.find((finding) => finding.ruleId === 'no-sensitive-mounts')?.message).toBe("mounts the host's system path /etc at /host-etc (read-only)");
    expect(policyBlocks(findings)).toBe(true);
  });
});
