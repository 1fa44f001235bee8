import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { stackFixture } from '../support/converge-fixture.js';
import { removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';

// No secret value leaves composelet: sentinel values are searched for in the output of every command
// and in the audit log, and never found, though the containers really run with them.

const SENTINELS = ['sentinel-literal-8841', 'sentinel-dotenv-5521', 'sentinel-envfile-3307', 'sentinel-url-7719'];
const engine = testEngine();
const stack = stackFixture('secrets-sentinel', uniqueProjectName('secrets'));
afterAll(() => removeProjectObjects(engine, stack.projectName));

function expectNoSentinel(output: string, where: string) {
  for (const sentinel of SENTINELS) expect(output, `${sentinel} in ${where}`).not.toContain(sentinel);
}

describe('secrets never out', () => {
  it('no command output and no audit line must contain a secret value', async () => {
    const outputs: Array<[string, string]> = [];
    const jsonOutputs: Array<[string, string]> = [];
    const run = async (command: string, ...args: string[]) => {
      const result = await stack.run(command, ...args);
      outputs.push([`${command} ${args.join(' ')}`, `${result.stdout}\n${result.stderr}`]);
      if (args.includes('--json') || args.includes('json')) jsonOutputs.push([`${command} ${args.join(' ')}`, result.stdout]);
      return result;
    };
    await run('validate');
    await run('validate', '--json');
    await run('config');
    await run('config', '--json');
    await run('plan');
    await run('plan', '--json');
    expect((await run('apply')).code).toBe(0);
    await run('plan', '--json');
    await run('drift', '--format', 'json');
    await run('drift', '--format', 'markdown');
    await run('status', '--json');
    await run('graph');
    stack.edit((text) => text.replace('sentinel-literal-8841', 'sentinel-literal-8841-changed'));
    await run('plan', '--json');
    await run('drift', '--format', 'json');
    expect((await run('apply')).code).toBe(0);
    outputs.push(['audit log', readFileSync(stack.auditLog, 'utf8')]);
    for (const [where, output] of outputs) expectNoSentinel(output, where);
    // Redaction is by field, never by text: every JSON output parses.
    for (const [where, output] of jsonOutputs) expect(() => JSON.parse(output), where).not.toThrow();

    // The container does run with them: the redaction is in the output, not in what is applied.
    const inspect = await engine.inspectContainer(`${stack.projectName}-app-1`);
    expect(inspect.Config.Env).toEqual(
      expect.arrayContaining([
        'DB_PASSWORD=sentinel-literal-8841-changed',
        'PLAIN_SETTING=sentinel-dotenv-5521',
        'LOG_FORMAT_HINT=sentinel-envfile-3307',
      ]),
    );
  }, 120_000);
});
