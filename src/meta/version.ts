import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// composelet's version, from its package.json: found by walking up from this module, so it works from
// src/ (tests, tsx) and from dist/ (the installed CLI) alike.

let cached: string | null = null;

export function composeletVersion(): string {
  cached ??= findVersion(dirname(fileURLToPath(import.meta.url)));
  return cached;
}

export function findVersion(startDirectory: string): string {
  let directory = startDirectory;
  for (;;) {
    const version = readPackageVersion(join(directory, 'package.json'));
    if (version !== null) return version;
    const parent = dirname(directory);
    if (parent === directory) return 'unknown';
    directory = parent;
  }
}

function readPackageVersion(path: string): string | null {
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown; version?: unknown };
    return manifest.name === 'composelet' && typeof manifest.version === 'string' ? manifest.version : null;
  } catch {
    return null;
  }
}
