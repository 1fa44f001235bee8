import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../../../scripts/build.mjs';
import { packagesOfOutputs } from './support/loaded-modules.js';

// The shipped build (scripts/build.mjs, what `bin` runs), built into a temporary directory: one file for
// the CLI, a chunk per command, source maps, and lazy command loading kept through bundling.

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const RECORDER = join(REPOSITORY, 'test/unit/cli/support/record-loaded-modules.mjs');
const HEAVY = ['dockerode', 'ssh2', '@grpc/grpc-js', 'protobufjs', 'pino', 'prom-client', 'rxjs', 'chokidar'];

let outdir = '';
/** Output file name (basename) -> the packages bundled into it. */
let packagesOf = new Map<string, string[]>();
/** Every bundled source file (node_modules included), as the metafile names it. */
let bundledInputs: string[] = [];

async function run(argv: string[]): Promise<{ stdout: string; loaded: string[] }> {
  const output = join(mkdtempSync(join(tmpdir(), 'composelet-modules-')), 'loaded.txt');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', RECORDER, join(outdir, 'cli/main.js'), ...argv], {
    cwd: REPOSITORY,
    env: { PATH: process.env.PATH, COMPOSELET_LOADED_MODULES_FILE: output },
  });
  const loaded = [...new Set(readFileSync(output, 'utf8').split('\n').filter((line) => line.startsWith(`file://${outdir}`)))].map((url) => basename(url));
  return { stdout, loaded };
}

describe('the bundled build', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    outdir = join(mkdtempSync(join(tmpdir(), 'composelet-build-')), 'dist');
    const result = await buildDist({ outdir });
    packagesOf = packagesOfOutputs(result.metafile);
    bundledInputs = Object.values(result.metafile.outputs).flatMap((output) => Object.keys(output.inputs));
  }, 120_000);

  it('must be one file for the CLI entry point, each command in its own chunk, every file with its source map', () => {
    expect(existsSync(join(outdir, 'cli/main.js'))).toBe(true);
    const files = [...packagesOf.keys()];
    for (const command of ['validate', 'config', 'plan', 'apply', 'run', 'status', 'drift']) expect(files.some((file) => file.startsWith(`${command}-`))).toBe(true);
    for (const file of files) expect(readFileSync(join(outdir, file.startsWith('main') ? 'cli' : 'chunks', file), 'utf8')).toContain(`//# sourceMappingURL=${file}.map`);
    expect(packagesOf.get('main.js')).toEqual([]);
  });

  it("must not hold ssh2, gRPC or protobufjs: dockerode's ssh transport and BuildKit session are stand-ins that throw", () => {
    const bundled = new Set([...packagesOf.values()].flat());
    expect(bundled.has('dockerode')).toBe(true);
    expect(['ssh2', '@grpc/grpc-js', 'protobufjs', '@grpc/proto-loader', 'tweetnacl'].filter((name) => bundled.has(name))).toEqual([]);
    const engineChunk = [...packagesOf].find(([, packages]) => packages.includes('dockerode'))![0];
    const source = readFileSync(join(outdir, 'chunks', engineChunk), 'utf8');
    expect(source).toContain("composelet's build does not include docker-modem's ssh transport (DOCKER_HOST=ssh:// is not supported)");
  });

  it("must take rxjs from its ES module build, which tree-shakes, not from the CommonJS one Node's condition points at", () => {
    const rxjs = bundledInputs.filter((input) => input.includes('node_modules/rxjs/'));
    expect(rxjs.length).toBeGreaterThan(0);
    expect(rxjs.filter((input) => !input.includes('node_modules/rxjs/dist/esm/'))).toEqual([]);
  });

  it('composelet --version must load no chunk holding a dependency', async () => {
    const { stdout, loaded } = await run(['--version']);
    expect(stdout.trim()).not.toBe('');
    expect(loaded.flatMap((file) => packagesOf.get(file) ?? [])).toEqual([]);
  });

  it('composelet validate must load no chunk holding the engine client or the controller', async () => {
    const { stdout, loaded } = await run(['validate', join(REPOSITORY, 'manifests/example')]);
    expect(stdout).toContain('valid, 1 project, 6 services');
    expect(loaded.flatMap((file) => packagesOf.get(file) ?? []).filter((name) => HEAVY.includes(name))).toEqual([]);
  });
});
