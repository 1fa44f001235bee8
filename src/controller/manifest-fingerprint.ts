import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectSource } from '../desired-state/discover.js';
import type { Project } from '../desired-state/model.js';

// What a project's desired state is made of, as bytes: its compose files, every other file directly in its
// directory (.env, env files, override files) and the env_files its services name elsewhere. Read on every
// reconcile; when the bytes are the same as last time the parsed model is reused, so a no-op reconcile
// costs reading a few small files instead of parsing and validating them again. (A file reached only
// through `extends: { file: ../elsewhere.yaml }` outside the project directory is not part of it: the
// periodic resync after an edit there re-parses nothing until a file here changes; see the README.)

export function manifestFingerprint(source: ProjectSource, previous: Project | undefined): string {
  const hash = createHash('sha256');
  const files = new Set(source.files);
  for (const entry of readdirSync(source.workingDir, { withFileTypes: true })) {
    if (entry.isFile()) files.add(join(source.workingDir, entry.name));
  }
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
