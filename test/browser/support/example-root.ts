import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A copy of manifests/example as a manifests root of its own, under a unique project name (the compose
// file's `name:` and the directory), with the host ports left to the engine (other tests may run the
// example at the same time) and a .env holding the database password the page must never show.

const EXAMPLE = fileURLToPath(new URL('../../../manifests/example', import.meta.url));

export function exampleRoot(options: { projectName: string; secret: string }): { root: string; projectDirectory: string } {
  const root = mkdtempSync(join(tmpdir(), 'composelet-page-'));
  const projectDirectory = join(root, options.projectName);
  mkdirSync(projectDirectory);
  cpSync(EXAMPLE, projectDirectory, { recursive: true });
  const file = join(projectDirectory, 'compose.yaml');
  const compose = readFileSync(file, 'utf8')
    .replace(/^name: platform$/m, `name: ${options.projectName}`)
    .replace(/"127\.0\.0\.1:\d+:(\d+)"/g, '"127.0.0.1::$1"');
  if (!compose.includes(`name: ${options.projectName}`)) throw new Error(`${file}: no "name: platform" line to rename`);
  writeFileSync(file, compose);
  writeFileSync(join(projectDirectory, '.env'), `POSTGRES_PASSWORD=${options.secret}\n`);
  return { root, projectDirectory };
}

/** The services the example runs by default (debug is behind a profile). */
export const EXAMPLE_SERVICES = ['api', 'cache', 'db', 'metrics', 'migrate', 'ui'];
