import { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { CliIo } from '../../cli/command.js';
import { backupCommand } from '../../cli/commands/backup.js';

// Runs `composelet backup ...` in-process with captured output, parsing arguments as the CLI does, until
// the command is registered with the others (then test/support/run-cli.ts does the same).

export interface CapturedRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runBackupCli(argv: string[], options: { env?: Record<string, string | undefined>; isTTY?: boolean; stdinText?: string } = {}): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    Object.assign(new Writable({ write: (chunk, _encoding, callback) => (append(String(chunk)), callback()) }), { isTTY: options.isTTY ?? false });
  const stdin = Object.assign(Readable.from(options.stdinText === undefined ? [] : [options.stdinText]), { isTTY: options.isTTY ?? false });
  const io: CliIo & { stdin: typeof stdin } = {
    stdout: sink((text) => (stdout += text)),
    stderr: sink((text) => (stderr += text)),
    env: options.env ?? { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST },
    cwd: process.cwd(),
    stdin,
  };
  const code = await runParsed(argv, io);
  return { code, stdout, stderr };
}

export async function runParsed(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name !== 'backup') throw new Error('runBackupCli runs only `backup`');
  try {
    const parsed = parseArgs({ args: rest, options: backupCommand.options, allowPositionals: true, strict: true });
    return await backupCommand.run({ positionals: parsed.positionals, values: parsed.values as never }, io);
  } catch (error) {
    io.stderr.write(`composelet backup: ${(error as Error).message}\n`);
    return 1;
  }
}
