import { UsageError } from '../../errors/kinds.js';
import { write, type Command } from '../command.js';
import { bashCompletion, completionSpecs, zshCompletion } from '../completion.js';

// `composelet completion bash|zsh`: the completion script, from the command registry.

const SHELLS = { bash: bashCompletion, zsh: zshCompletion } as const;

export const completionCommand: Command = {
  name: 'completion',
  summary: 'print a bash or zsh completion script (source <(composelet completion bash))',
  help: `Usage: composelet completion bash|zsh

Prints a completion script for the shell: commands, each command's flags and subcommands, and file names
for paths. Load it in the current shell, or from ~/.bashrc or ~/.zshrc:

  source <(composelet completion bash)
  source <(composelet completion zsh)      # after compinit

Options:
  -h, --help               show this help`,
  subcommands: Object.keys(SHELLS),
  options: {},
  async run(input, io) {
    const [shell, ...extra] = input.positionals;
    if (shell === undefined || !(shell in SHELLS)) throw new UsageError(`${shell === undefined ? 'missing shell' : `unknown shell "${shell}"`}: use bash or zsh`);
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    write(io.stdout, SHELLS[shell as keyof typeof SHELLS](await completionSpecs()));
    return 0;
  },
};
