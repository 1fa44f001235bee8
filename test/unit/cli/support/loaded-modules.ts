import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';

// Reading the list record-loaded-modules.mjs writes: file URLs (ES modules) and paths (CommonJS), with
// repeats and node: builtins.

function pathOf(entry: string): string | null {
  if (entry.startsWith('file://')) return fileURLToPath(entry);
  return entry.startsWith('/') ? entry : null;
}

/** Which of `packages` (names as in package.json, scoped or not) have at least one module loaded, sorted. */
export function loadedPackages(modules: readonly string[], packages: readonly string[]): string[] {
  const found = new Set<string>();
  for (const entry of modules) {
    const path = pathOf(entry);
    if (path === null) continue;
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path.slice(path.lastIndexOf('/node_modules/')));
    if (match && packages.includes(match[1]!)) found.add(match[1]!);
  }
  return [...found].sort();
}

/** The repository's own files that were loaded (not node_modules), relative to it, sorted and unique. */
export function loadedSources(modules: readonly string[], repository: string): string[] {
  const found = new Set<string>();
  for (const entry of modules) {
    const path = pathOf(entry);
    if (path === null || path.includes('/node_modules/')) continue;
    const inside = relative(repository, path);
    if (!inside.startsWith('..')) found.add(inside);
  }
  return [...found].sort();
}

/** From an esbuild metafile: each output .js file (by base name) and the packages bundled into it, sorted. */
export function packagesOfOutputs(metafile: { outputs: Record<string, { inputs: Record<string, unknown> }> }): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    if (!output.endsWith('.js')) continue;
    const packages = new Set<string>();
    for (const input of Object.keys(inputs)) {
      const match = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.slice(input.lastIndexOf('node_modules/')));
      if (match) packages.add(match[1]!);
    }
    result.set(output.slice(output.lastIndexOf('/') + 1), [...packages].sort());
  }
  return result;
}
