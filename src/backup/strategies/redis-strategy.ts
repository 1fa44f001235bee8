import { posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { BackupEngine } from '../backup-engine.js';
import { forEachTarEntry, isRegularFile, type TarHeader } from '../tar/tar-read.js';
import { redisAofOf } from './redis-aof.js';
import { StrategyFailure, lastLines, type StrategyContext, type StrategyOutcome } from './strategy.js';

// redis: BGSAVE, wait until the save finished (LASTSAVE advanced, or the save counter did: LASTSAVE
// counts seconds), then copy the RDB file out through the archive API and keep only its bytes.

interface PersistenceState {
  lastSave: number;
  saves: number | null;
  inProgress: boolean;
  lastStatus: string;
}

export async function redisBackup(context: StrategyContext): Promise<StrategyOutcome> {
  const containerId = context.container!.id;
  const cli = (...words: string[]) => redisCli(context.engine, containerId, words);
  const before = await persistence(cli);
  await startBackgroundSave(cli, context.signal);
  for (;;) {
    context.signal.throwIfAborted();
    const now = await persistence(cli);
    if (!now.inProgress && (now.lastSave > before.lastSave || (now.saves !== null && before.saves !== null && now.saves > before.saves))) {
      if (now.lastStatus !== 'ok') throw new StrategyFailure(`redis reported the background save as "${now.lastStatus}"`, null);
      break;
    }
    await delay(100);
  }
  const path = context.definition.paths[0] ?? posix.join(await configValue(cli, 'dir'), await configValue(cli, 'dbfilename'));
  // With appendonly on, Redis loads the AOF at start, not the RDB: the restore must write both (redis-aof.ts).
  const redisAof = redisAofOf({
    appendonly: await configValue(cli, 'appendonly'),
    dir: await configValue(cli, 'dir'),
    appendfilename: await configValue(cli, 'appendfilename'),
    appenddirname: await optionalConfigValue(cli, 'appenddirname'),
  });
  const entry = await copyFirstFile(await context.engine.getArchive(containerId, path), context.sink, { expectedName: posix.basename(path), signal: context.signal });
  return { exitStatus: 0, details: { paths: [path], file: { mode: entry.mode ?? 0o644, uid: entry.uid ?? 0, gid: entry.gid ?? 0 }, redisAof } };
}

type Cli = (...words: string[]) => Promise<string>;

async function redisCli(engine: BackupEngine, containerId: string, words: string[]): Promise<string> {
  const result = await engine.exec(containerId, { command: ['redis-cli', ...words] });
  const output = result.stdout.trim();
  if (result.exitCode !== 0) throw new StrategyFailure(`redis-cli ${words[0]} exited with code ${result.exitCode}: ${lastLines(result.stderr || output)}`, result.exitCode);
  if (/^(ERR|NOAUTH|WRONGPASS|NOPERM)\b/.test(output)) throw new StrategyFailure(`redis-cli ${words[0]}: ${output}`, null);
  return output;
}

async function persistence(cli: Cli): Promise<PersistenceState> {
  const lastSave = Number(await cli('LASTSAVE'));
  const info = Object.fromEntries(
    (await cli('INFO', 'persistence'))
      .split(/\r?\n/)
      .map((line) => line.split(':'))
      .filter((parts) => parts.length === 2)
      .map(([key, value]) => [key!.trim(), value!.trim()]),
  );
  return {
    lastSave,
    saves: info.rdb_saves === undefined ? null : Number(info.rdb_saves),
    inProgress: info.rdb_bgsave_in_progress === '1',
    lastStatus: info.rdb_last_bgsave_status ?? 'ok',
  };
}

async function startBackgroundSave(cli: Cli, signal: AbortSignal): Promise<void> {
  for (;;) {
    try {
      await cli('BGSAVE');
      return;
    } catch (error) {
      // A save started by someone else: wait for it, then start ours (it must include writes up to now).
      if (!/in progress/i.test((error as Error).message)) throw error;
      signal.throwIfAborted();
      await delay(100);
    }
  }
}

async function configValue(cli: Cli, key: string): Promise<string> {
  const [, value] = (await cli('CONFIG', 'GET', key)).split('\n');
  if (value === undefined || value.trim() === '') throw new StrategyFailure(`cannot read "${key}" from redis CONFIG GET; set "paths" to the RDB file`, null);
  return value.trim();
}

/** A CONFIG value that older servers do not have (null then). */
async function optionalConfigValue(cli: Cli, key: string): Promise<string | null> {
  const [, value] = (await cli('CONFIG', 'GET', key)).split('\n');
  return value === undefined || value.trim() === '' ? null : value.trim();
}

/** Writes the bytes of the archive's first regular file to `sink` (ending it); resolves to its header. */
export async function copyFirstFile(archive: Readable, sink: Writable, options: { expectedName: string; signal: AbortSignal }): Promise<TarHeader> {
  let first: TarHeader | null = null;
  await forEachTarEntry(
    archive,
    async (header, content) => {
      if (first !== null || !isRegularFile(header)) return;
      first = header;
      await pipeline(content, sink, { signal: options.signal });
    },
    { signal: options.signal },
  );
  if (first === null) throw new StrategyFailure(`the copy of ${options.expectedName} holds no regular file`, null);
  return first;
}
