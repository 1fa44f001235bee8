import type { Command } from './command.js';
import { commands } from './commands/index.js';

// Shell completion scripts, made from the command registry and each command's own options: a new
// command or flag is completed without anyone editing a script. Flags complete after `-`; a command
// with subcommands completes them as its first word; anything else falls back to the shell's own file
// completion (PATH is a file or a directory).

export interface CompletionSpec {
  name: string;
  summary: string;
  flags: string[];
  /** Flags that take a value (`--file FILE`): zsh completes a file name after them. */
  valueFlags: string[];
  subcommands: readonly string[];
}

const TOP_LEVEL_FLAGS = ['--help', '--version'];

/** `--long` then `-s` for each option, in the order the command declares them. */
export function flagsOf(options: Command['options']): string[] {
  return Object.entries(options).flatMap(([name, option]) => [`--${name}`, ...(option.short ? [`-${option.short}`] : [])]);
}

/** Loads every command (completion is generated once, when a shell starts, so this cost is paid rarely). */
export async function completionSpecs(): Promise<CompletionSpec[]> {
  return Promise.all(
    commands.map(async (entry) => {
      const command = await entry.load();
      const valueOptions = Object.fromEntries(Object.entries(command.options).filter(([, option]) => option.type === 'string'));
      return { name: entry.name, summary: entry.summary, flags: flagsOf(command.options), valueFlags: flagsOf(valueOptions), subcommands: command.subcommands ?? [] };
    }),
  );
}

export function bashCompletion(specs: readonly CompletionSpec[]): string {
  const cases = specs.map((spec) => `    ${spec.name}) flags="${[...spec.flags, '--help'].join(' ')}"; subcommands="${spec.subcommands.join(' ')}" ;;`);
  return `# composelet completion for bash. Load it with: source <(composelet completion bash)
_composelet() {
  local current=\${COMP_WORDS[COMP_CWORD]} flags="" subcommands=""
  COMPREPLY=()
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${[...specs.map((spec) => spec.name), ...TOP_LEVEL_FLAGS].join(' ')}" -- "$current"))
    return 0
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
  esac
  if [[ $current == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$current"))
  elif [ "$COMP_CWORD" -eq 2 ] && [ -n "$subcommands" ]; then
    COMPREPLY=($(compgen -W "$subcommands" -- "$current"))
  fi
  return 0
}
complete -o default -F _composelet composelet
`;
}

const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;

export function zshCompletion(specs: readonly CompletionSpec[]): string {
  const cases = specs.map((spec) => {
    const flagSpecs = spec.flags.map((flag) => quote(spec.valueFlags.includes(flag) ? `*${flag}:value:_files` : `*${flag}`));
    const positionals = spec.subcommands.length > 0 ? [quote(`1:subcommand:(${spec.subcommands.join(' ')})`), quote('*:path:_files')] : [quote('*:path:_files')];
    return `    ${spec.name}) _arguments ${[...flagSpecs, "'--help'", ...positionals].join(' ')} ;;`;
  });
  return `#compdef composelet
# composelet completion for zsh. Load it with: source <(composelet completion zsh) (after compinit)
_composelet() {
  local -a command_list
  command_list=(
${specs.map((spec) => `    ${quote(`${spec.name}:${spec.summary}`)}`).join('\n')}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' command_list
    compadd -- ${TOP_LEVEL_FLAGS.join(' ')}
    return
  fi
  shift words
  (( CURRENT-- ))
  case "$words[1]" in
${cases.join('\n')}
  esac
}
compdef _composelet composelet
`;
}
