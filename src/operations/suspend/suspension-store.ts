import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile, writeFileAtomic } from '../../state/atomic-file.js';
import type { Suspension } from './suspension.js';

// Suspensions live in the state directory, one file per project, `<state-dir>/suspensions/<project>.json`,
// written atomically (mode 0600, directory 0700): the CLI writes them, the controller re-reads them at
// every reconcile and watches the directory, so a resume takes effect at once and a controller restart
// keeps them. A file rather than a socket: it needs no running controller (apply and status read it too),
// survives restarts as it is, and its permissions are the ones the state directory already has.

interface SuspensionFile {
  version: 1;
  suspensions: Suspension[];
}

export function suspensionDirectory(stateDir: string): string {
  return join(stateDir, 'suspensions');
}

export function suspensionPath(stateDir: string, projectName: string): string {
  return join(suspensionDirectory(stateDir), `${projectName}.json`);
}

export async function readSuspensions(stateDir: string, projectName: string): Promise<Suspension[]> {
  const path = suspensionPath(stateDir, projectName);
  const file = await readJsonFile<SuspensionFile>(path);
  if (file === null) return [];
  if (file.version !== 1 || !Array.isArray(file.suspensions)) throw new Error(`${path}: not a suspension file (version 1 expected)`);
  return file.suspensions;
}

export async function writeSuspensions(stateDir: string, projectName: string, suspensions: readonly Suspension[]): Promise<void> {
  await ensureSuspensionDirectory(stateDir);
  const file: SuspensionFile = { version: 1, suspensions: [...suspensions] };
  await writeFileAtomic(suspensionPath(stateDir, projectName), `${JSON.stringify(file, null, 2)}\n`);
}

/** The directory, private to its owner (0700), made when missing. */
export async function ensureSuspensionDirectory(stateDir: string): Promise<string> {
  const directory = suspensionDirectory(stateDir);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  await chmod(directory, 0o700);
  return directory;
}
