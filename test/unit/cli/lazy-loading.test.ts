import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadedPackages, loadedSources } from './support/loaded-modules.js';

// `composelet` as an operator starts it, in a child process (from src/ through tsx), with a preload that
// records every module the process loads. A one-shot command must load only what it uses: --help and
// --version almost nothing, and no metrics, logger, watcher or RxJS for the one-shot commands.

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = join(REPOSITORY, 'manifests/example');
const RECORDER = join(REPOSITORY, 'test/unit/cli/support/record-loaded-modules.mjs');

/** Loaded by the controller (`run`) only. */
const CONTROLLER_ONLY = ['prom-client', 'pino', 'pino-pretty', 'rxjs', 'chokidar'];
/** The engine client and everything it pulls in. */
const ENGINE_CLIENT = ['dockerode', 'docker-modem', 'ssh2', '@grpc/grpc-js', 'protobufjs'];
/** Every runtime dependency; the toolchain that runs src/ (tsx, esbuild) is not one. */
const ALL_DEPENDENCIES = [...CONTROLLER_ONLY, ...ENGINE_CLIENT, 'zod', 'yaml', 'fast-json-patch', 'tar-stream', 'croner'];

async function modulesLoadedBy(argv: string[]): Promise<string[]> {
  const output = join(mkdtempSync(join(tmpdir(), 'composelet-modules-')), 'loaded.txt');
  await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', RECORDER, join(REPOSITORY, 'src/cli/main.ts'), ...argv], {
    cwd: REPOSITORY,
    // An engine that is not there: engine commands fail at once, after loading all they would use.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: 'unix:///nonexistent/composelet-test.sock', COMPOSELET_LOADED_MODULES_FILE: output, COMPOSELET_AUDIT_LOG: join(tmpdir(), 'composelet-lazy-audit.log') },
  }).catch((error: { code?: number; stderr?: string }) => {
    // Exit 1 is expected for engine commands (no engine); anything else is reported.
    if (error.code !== 1) throw error;
  });
  return readFileSync(output, 'utf8').split('\n').filter((line) => line !== '');
}

describe.concurrent('composelet loads only what a command uses', { timeout: 120_000 }, () => {
  it.each([[['--version']], [['--help']], [[]]])('composelet %j must load no dependency and only the CLI frame', async (argv) => {
    const modules = await modulesLoadedBy(argv);
    expect(loadedPackages(modules, ALL_DEPENDENCIES)).toEqual([]);
    const sources = loadedSources(modules, REPOSITORY);
    expect(sources.filter((source) => !/^src\/(cli\/(main|run-cli|command|young-generation)\.ts|cli\/commands\/index\.ts|meta\/version\.ts)$/.test(source))).toEqual([]);
  });

  it.each([
    ['validate', ['validate', EXAMPLE]],
    ['config', ['config', EXAMPLE]],
  ])('composelet %s must load neither the engine client nor the controller', async (_name, argv) => {
    const modules = await modulesLoadedBy(argv);
    expect(loadedPackages(modules, [...CONTROLLER_ONLY, ...ENGINE_CLIENT])).toEqual([]);
    expect(loadedPackages(modules, ['yaml'])).toEqual(['yaml']);
  });

  it.each([
    ['plan', ['plan', EXAMPLE]],
    ['apply', ['apply', EXAMPLE, '--no-wait']],
    ['drift', ['drift', EXAMPLE]],
    ['report', ['report', EXAMPLE]],
    ['status', ['status', EXAMPLE]],
    ['down', ['down', EXAMPLE]],
  ])('composelet %s must not load metrics, logger, watcher or RxJS', async (_name, argv) => {
    const modules = await modulesLoadedBy(argv);
    expect(loadedPackages(modules, CONTROLLER_ONLY)).toEqual([]);
    expect(loadedPackages(modules, ['dockerode'])).toEqual(['dockerode']);
  });
});
