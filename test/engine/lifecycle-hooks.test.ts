import { afterAll, describe, expect, it } from 'vitest';
import { stackFixture } from '../support/converge-fixture.js';
import { removeProjectObjects, runDocker, testEngine, TEST_IMAGE, uniqueProjectName } from '../support/engine.js';

// post_start and pre_stop run inside the real container: post_start right after the start (with its
// working_dir and environment), pre_stop before the stop, while the container still runs. A failing
// post_start fails the apply with a message naming the hook.

const engine = testEngine();
const stack = stackFixture('lifecycle-hooks', uniqueProjectName('hooks'));
const failing = stackFixture('lifecycle-hooks-failing', uniqueProjectName('hooks-fail'));

afterAll(async () => {
  await stack.run('down', '--volumes');
  await failing.run('down', '--volumes');
  await removeProjectObjects(engine, stack.projectName);
  await removeProjectObjects(engine, failing.projectName);
});

describe('lifecycle hooks', () => {
  it('post_start must have run in the container once apply returns, and pre_stop before down stopped it', async () => {
    const applied = await stack.run('apply');
    expect(applied.code, `${applied.stdout}\n${applied.stderr}`).toBe(0);
    const container = `${stack.projectName}-app-1`;
    expect(await runDocker(['exec', container, 'cat', '/tmp/post-start'])).toBe('post_start in /log says hello\n');

    const planned = await stack.run('plan');
    expect(planned.stdout).toMatch(/^\s*no changes$/m);

    const down = await stack.run('down');
    expect(down.code).toBe(0);
    // The volume outlives the container: the pre_stop hook wrote into it while PID 1 was still running.
    const events = await runDocker(['run', '--rm', '-v', `${stack.projectName}_log:/log`, TEST_IMAGE, 'cat', '/log/events']);
    expect(events).toBe('pre_stop ran while pid 1 was alive: sh\n');
  }, 60_000);

  it('a post_start hook that exits non-zero must fail the apply and name the hook', async () => {
    const applied = await failing.run('apply', '--no-wait');
    expect(applied.code).toBe(1);
    expect(`${applied.stdout}\n${applied.stderr}`).toContain("post_start hook 1 (sh -c exit 7) exited with code 7");
  }, 60_000);
});
