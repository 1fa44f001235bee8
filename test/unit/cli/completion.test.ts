import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/commands/index.js';
import { bashCompletion, completionSpecs, flagsOf, zshCompletion, type CompletionSpec } from '../../../src/cli/completion.js';
import { runCliCaptured } from '../../support/run-cli.js';

// `composelet completion bash|zsh` prints a completion script made from the command registry and each
// command's own options, so a new command or flag is completed without anyone editing a script.

/** What bash completes for the words typed so far (the last one is the word being completed). */
async function bashCompletes(script: string, words: string[]): Promise<string[]> {
  const program = `${script}
COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_composelet; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await promisify(execFile)('bash', ['-c', program]);
  return stdout.split('\n').filter((line) => line !== '');
}

describe('shell completion', () => {
  it.each([
    [{}, []],
    [{ json: { type: 'boolean' } }, ['--json']],
    [{ file: { type: 'string', short: 'f', multiple: true }, yes: { type: 'boolean' } }, ['--file', '-f', '--yes']],
  ] as const)('flagsOf(%j) must be %j', (options, flags) => {
    expect(flagsOf(options)).toEqual(flags);
  });

  it('must cover every command in the registry with every one of its options', async () => {
    const specs = await completionSpecs();
    expect(specs.map((spec) => spec.name)).toEqual(commands.map((entry) => entry.name));
    for (const entry of commands) {
      const command = await entry.load();
      const spec = specs.find((candidate) => candidate.name === entry.name) as CompletionSpec;
      for (const [name, option] of Object.entries(command.options)) {
        expect(spec.flags).toContain(`--${name}`);
        if (option.short) expect(spec.flags).toContain(`-${option.short}`);
      }
    }
  });

  it.each([
    [['composelet', 'va'], ['validate']],
    [['composelet', '--v'], ['--version']],
    [['composelet', 'validate', '--j'], ['--json']],
    [['composelet', 'plan', '--detailed'], ['--detailed-exitcode']],
    [['composelet', 'backup', 've'], ['verify']],
    [['composelet', 'backup', 'restore', '--y'], ['--yes']],
    [['composelet', 'completion', ''], ['bash', 'zsh']],
    [['composelet', 'run', '--metrics'], ['--metrics-address']],
  ])('bash must complete %j to %j', async (words, expected) => {
    const { stdout } = await runCliCaptured(['completion', 'bash']);
    expect(await bashCompletes(stdout, words)).toEqual(expected);
  });

  it('bash must leave a path to the shell\'s file completion', async () => {
    const { stdout } = await runCliCaptured(['completion', 'bash']);
    expect(stdout).toContain('complete -o default -F _composelet composelet');
    expect(await bashCompletes(stdout, ['composelet', 'validate', 'manif'])).toEqual([]);
  });

  it('zsh must name every command with its summary and every flag of each', async () => {
    const specs = await completionSpecs();
    const script = zshCompletion(specs);
    expect(script.startsWith('#compdef composelet')).toBe(true);
    for (const entry of commands) expect(script).toContain(`'${entry.name}:${entry.summary.replace(/'/g, "'\\''")}'`);
    for (const spec of specs) for (const flag of spec.flags) expect(script).toContain(flag);
    expect(script).toContain("'1:subcommand:(run list verify restore)'");
  });

  it('an unknown shell must be a usage error naming the shells', async () => {
    const { code, stderr } = await runCliCaptured(['completion', 'fish']);
    expect(code).toBe(1);
    expect(stderr).toContain('unknown shell "fish": use bash or zsh');
  });

  it('the bash script must be what bashCompletion makes of the registry', async () => {
    const { stdout } = await runCliCaptured(['completion', 'bash']);
    expect(stdout).toBe(bashCompletion(await completionSpecs()));
  });
});
