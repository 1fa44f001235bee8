import type { RedisAof } from '../strategies/redis-aof.js';
import { rename, open, unlink } from 'node:fs/promises';
import type { BackupStrategy } from '../definitions/definition.js';

// The sidecar manifest of an artifact (and the record of a failed run): what was backed up, from which
// container and image, its checksum and sizes, how it went, and what restore needs to put it back.

export interface VerificationCheck {
  name: string;
  ok: boolean;
  detail: string;
  durationMs: number;
}

export interface VerificationRecord {
  ok: boolean;
  verifiedAt: string;
  durationMs: number;
  checks: VerificationCheck[];
}

/** What restore needs beyond the bytes. */
export interface ArtifactDetails {
  /** files: the paths copied; redis: the RDB file. */
  paths?: string[];
  /** volume: the engine name of the volume. */
  volume?: string;
  /** redis: the RDB file's owner and mode inside the container. */
  file?: { mode: number; uid: number; gid: number };
  /** redis: where the append-only file lives when `appendonly` was on (a restore writes it too); null: off. */
  redisAof?: RedisAof | null;
  /** exec: the commands, as they were at backup time. */
  command?: string[];
  verifyCommand?: string[] | null;
  restoreCommand?: string[] | null;
}

export interface ArtifactManifest {
  formatVersion: 1;
  status: 'succeeded' | 'failed';
  /** File name in the same directory; null for a failed run. */
  artifact: string | null;
  project: string;
  service: string;
  /** The definition's name. */
  name: string;
  strategy: BackupStrategy;
  preset: 'postgres' | 'redis' | null;
  trigger: 'manual' | 'schedule' | 'before-recreate';
  image: string | null;
  imageId: string | null;
  containerId: string | null;
  /** The spec hash of the container backed up (its label), else the desired one. */
  specHash: string | null;
  definitionHash: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Of the file on disk. */
  sha256: string | null;
  size: number | null;
  /** Bytes before compression. */
  contentSize: number | null;
  compress: 'gzip' | 'none';
  extension: string;
  /** The dumper's exit code (exec), 0 for the other strategies; null when it never ran. */
  exitStatus: number | null;
  error: string | null;
  composeletVersion: string;
  details: ArtifactDetails;
  verification: VerificationRecord | null;
}

/** Writes JSON to a temporary name, flushes it and renames it into place: never half a manifest. */
export async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.partial`;
  const handle = await open(temporary, 'w');
  try {
    try {
      await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    // A full disk must not leave a half-written manifest behind either.
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
