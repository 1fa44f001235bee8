import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectProject, stackFixture } from '../support/converge-fixture.js';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';

// Log rotation as a policy (issue 17 point 5): a project default for logging (x-composelet.logging) must
// reach the containers of the services that set none, a change of it must recreate exactly those, and
// the log-rotation-required rule must name the service that logs to json-file without max-size.

const engine = testEngine();
const stack = stackFixture('log-rotation', uniqueProjectName('logrot'));
const logConfig = async () =>
  Object.fromEntries(Object.entries(await inspectProject(engine, stack.projectName)).map(([service, inspect]) => [service, { id: inspect.Id, logConfig: inspect.HostConfig['LogConfig'] }]));

describe('x-composelet.logging and the log-rotation-required rule', () => {
  let apply: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    apply = await stack.run('apply', '--timeout', '60s');
  }, 120_000);
  afterAll(() => removeProjectObjects(engine, stack.projectName));

  it('validate and plan must warn about the service logging to json-file without max-size, and only it', async () => {
    const expected = [
      'policy: 0 errors, 1 warning',
      '  warning log-rotation-required services.noisy.logging: logs with json-file without max-size: its log file grows until the disk is full; set logging: { driver: json-file, options: { max-size: 10m, max-file: "3" } }, or once for every service with x-composelet.logging',
    ].join('\n');
    const validated = await stack.run('validate');
    expect(validated.code).toBe(0);
    expect(validated.stdout).toContain(expected);
    const planned = await stack.run('plan');
    expect(planned.stdout).toContain(expected);
  });

  it('inherited logging options must reach the container; a service with its own logging keeps it', async () => {
    expect(apply.code).toBe(0);
    const containers = await logConfig();
    expect(containers['api']!.logConfig).toEqual({ Type: 'json-file', Config: { 'max-file': '2', 'max-size': '1m' } });
    expect(containers['noisy']!.logConfig).toEqual({ Type: 'json-file', Config: {} });
    expect(containers['quiet']!.logConfig).toEqual({ Type: 'none', Config: {} });
  });

  it('a changed project default must recreate the services that inherit it, and only them', async () => {
    const before = await logConfig();
    stack.edit((text) => text.replace('max-size: 1m', 'max-size: 2m'));
    const applied = await stack.run('apply', '--timeout', '60s');
    expect(applied.code).toBe(0);
    const after = await logConfig();
    expect(after['api']!.logConfig).toEqual({ Type: 'json-file', Config: { 'max-file': '2', 'max-size': '2m' } });
    expect(after['api']!.id).not.toBe(before['api']!.id);
    expect(after['noisy']!.id).toBe(before['noisy']!.id);
    expect(after['quiet']!.id).toBe(before['quiet']!.id);
  }, 120_000);
});
