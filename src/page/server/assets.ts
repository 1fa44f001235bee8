import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The browser script and stylesheet, built by scripts/build.mjs into dist/page/ at package time and read
// once at start: nothing is built or fetched at run time. The bundle's modules sit one level below dist/
// (dist/cli/main.js, dist/chunks/*.js), so dist/page/ is ../page/ from any of them.

export interface PageAssets {
  script: string | null;
  stylesheet: string | null;
}

export function defaultAssetsDirectory(): string {
  return fileURLToPath(new URL('../page/', import.meta.url));
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Missing files are null: the page is then served without them (still complete, not live). */
export function loadPageAssets(directory: string = defaultAssetsDirectory()): PageAssets {
  return { script: readOrNull(join(directory, 'page.js')), stylesheet: readOrNull(join(directory, 'page.css')) };
}
