import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/commands/index.js';
import { runCliCaptured } from '../../support/run-cli.js';

// The registry lists every command without loading it; what it says must match the command it loads.

describe('the command registry', () => {
  it.each(commands.map((entry) => [entry.name, entry] as const))('%s must load the command of that name, with the same summary', async (name, entry) => {
    const command = await entry.load();
    expect(command.name).toBe(name);
    expect(command.summary).toBe(entry.summary);
  });

  it('composelet --help must list every command with its summary', async () => {
    const { code, stdout } = await runCliCaptured(['--help']);
    expect(code).toBe(0);
    for (const entry of commands) expect(stdout).toMatch(new RegExp(`^  ${entry.name} +${entry.summary.replace(/[()]/g, '\\$&')}$`, 'm'));
  });

  it.each(commands.map((entry) => [entry.name]))('composelet %s --help must print its usage', async (name) => {
    const { code, stdout } = await runCliCaptured([name, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: composelet ${name}`);
  });

  it('an unknown command must be one line and the command list, exit 1', async () => {
    const { code, stderr } = await runCliCaptured(['frobnicate']);
    expect(code).toBe(1);
    expect(stderr).toContain('composelet: unknown command "frobnicate"');
    expect(stderr).toContain('  validate');
  });
});
