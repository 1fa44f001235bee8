// The shipped build: one ES module file per entry point (dist/cli/main.js, what `bin` points at), the
// dependencies bundled in, code-split so that a command's module (and what only it uses) stays in its own
// chunk, loaded by the CLI when that command runs. Source maps beside each file. `npm run build` runs
// this; `npm run typecheck` (tsc) is the type check.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repository = fileURLToPath(new URL('..', import.meta.url));

/** The programs dist/ ships: `bin` and every script, unit file and harness that runs dist/cli/main.js. */
export const ENTRY_POINTS = ['src/cli/main.ts'];

// Bundled CommonJS dependencies call require() for Node's built-ins and read __dirname (ssh2's wasm
// loader); an ES module has none of these.
const COMMONJS_SHIM = [
  "import { createRequire as __composeletCreateRequire } from 'node:module';",
  "import { dirname as __composeletDirname } from 'node:path';",
  "import { fileURLToPath as __composeletFileURLToPath } from 'node:url';",
  'const require = __composeletCreateRequire(import.meta.url);',
  'const __filename = __composeletFileURLToPath(import.meta.url);',
  'const __dirname = __composeletDirname(__filename);',
].join(' ');

/** Builds into `outdir` (relative to the repository, or absolute), emptied first; resolves to esbuild's
 * result, whose metafile says which sources and packages each output file holds. */
export async function buildDist({ outdir = 'dist' } = {}) {
  const directory = resolve(repository, outdir);
  rmSync(directory, { recursive: true, force: true });
  return build({
    absWorkingDir: repository,
    entryPoints: ENTRY_POINTS,
    outbase: 'src',
    outdir: directory,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    sourcesContent: false,
    chunkNames: 'chunks/[name]-[hash]',
    banner: { js: COMMONJS_SHIM },
    // Native add-ons ssh2 (under dockerode) tries and does without; they cannot be bundled.
    external: ['cpu-features', '*.node'],
    logLevel: 'warning',
    metafile: true,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await buildDist();
  const outputs = Object.entries(result.metafile.outputs).filter(([path]) => path.endsWith('.js'));
  const bytes = outputs.reduce((total, [, output]) => total + output.bytes, 0);
  process.stderr.write(`build: ${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB in dist/ (entry: ${ENTRY_POINTS.join(', ')})\n`);
}
