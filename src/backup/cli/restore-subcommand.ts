import { createInterface } from 'node:readline/promises';
import { write } from '../../cli/command.js';
import { UsageError } from '../../errors/kinds.js';
import { restoreBackup } from '../restore/restore-backup.js';
import { formatSeconds, selectDefinitions, type BackupCliContext } from './context.js';

// `backup restore PATH SERVICE [--from ARTIFACT|latest] [--yes]`: replaces the service's data, so it asks
// first on a terminal, and refuses without one unless --yes says the operator means it.

export async function restoreSubcommand(context: BackupCliContext): Promise<number> {
  const [target, ...extra] = context.targets;
  if (target === undefined) throw new UsageError('missing SERVICE (or backup NAME) to restore');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const selected = selectDefinitions(context, target);
  if (selected.length > 1) throw new UsageError(`"${target}" has several backups (${selected.map(({ definition }) => definition.name).join(', ')}): name one`);
  const { project, definition } = selected[0]!;
  const from = (context.values.from as string | undefined) ?? 'latest';
  if (!context.values.yes && !(await confirmed(context, `Restore ${from === 'latest' ? 'the latest backup' : from} of "${definition.name}" into service ${definition.service} of project ${project.name}? Its current data is replaced. [y/N] `))) {
    return 1;
  }
  const result = await restoreBackup(await context.engine(), project, definition, { from });
  if (context.json) {
    write(context.io.stdout, JSON.stringify({ restore: result }, null, 2));
  } else {
    write(context.io.stdout, `${result.ok ? 'restored' : 'restore FAILED'}: ${project.name}/${definition.name} from ${result.artifact ?? '-'} (${formatSeconds(result.durationMs)})`);
    for (const step of result.steps) write(context.io.stdout, `  ${step.ok ? 'ok' : 'FAILED'} ${step.step}: ${step.detail} (${formatSeconds(step.durationMs)})`);
    if (result.error && !result.steps.some((step) => !step.ok)) write(context.io.stdout, `  ${result.error}`);
  }
  return result.ok ? 0 : 1;
}

async function confirmed(context: BackupCliContext, question: string): Promise<boolean> {
  const stdin = context.io.stdin ?? process.stdin;
  if (!stdin.isTTY || !context.io.stdout.isTTY) {
    write(context.io.stderr, 'composelet backup restore: a restore replaces data; confirm on a terminal or pass --yes');
    return false;
  }
  const prompt = createInterface({ input: stdin, output: context.io.stdout, terminal: true });
  try {
    const answer = await prompt.question(question);
    if (/^y(es)?$/i.test(answer.trim())) return true;
    write(context.io.stderr, 'not restored');
    return false;
  } finally {
    prompt.close();
  }
}
