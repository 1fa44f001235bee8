import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectSource } from '../desired-state/discover.js';
import type { Project } from '../desired-state/model.js';

// What a project's desired state is made of, as bytes: its compose files, every other file directly in its
// directory (.env, env files, override files), the env_files its services name elsewhere, and the files
// the last model was read from besides (included compose files and their env files, `extends` files).
// Read on every reconcile; when the bytes are the same as last time the parsed model is reused, so a
// no-op reconcile costs reading a few small files instead of parsing and validating them again.

export function manifestFingerprint(source: ProjectSource, previous: Project | undefined): string {
  const hash = createHash('sha256');
  const files = new Set(source.files);
  for (const entry of readdirSync(source.workingDir, { withFileTypes: true })) {
    if (entry.isFile()) files.add(join(source.workingDir, entry.name));
  }
  for (const file of previous?.referencedFiles ?? []) files.add(file);
  for (const service of Object.values(previous?.services ?? {})) {
    for (const file of service.envFiles) files.add(file);
  }
  for (const file of [...files].sort()) {
    hash.update(file).update('\0');
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('<unreadable>');
    }
    hash.update('\0');
  }
  return hash.digest('hex');
}
