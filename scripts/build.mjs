// The shipped build: one ES module file per entry point (dist/cli/main.js, what `bin` points at), the
// dependencies bundled in, code-split so that a command's module (and what only it uses) stays in its own
// chunk, loaded by the CLI when that command runs. Source maps beside each file. `npm run build` runs
// this; `npm run typecheck` (tsc) is the type check.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repository = fileURLToPath(new URL('..', import.meta.url));

/** The programs dist/ ships: `bin` and every script, unit file and harness that runs dist/cli/main.js. */
export const ENTRY_POINTS = ['src/cli/main.ts'];

// Bundled CommonJS dependencies call require() for Node's built-ins and read __dirname and __filename;
// an ES module has none of these.
const COMMONJS_SHIM = [
  "import { createRequire as __composeletCreateRequire } from 'node:module';",
  "import { dirname as __composeletDirname } from 'node:path';",
  "import { fileURLToPath as __composeletFileURLToPath } from 'node:url';",
  'const require = __composeletCreateRequire(import.meta.url);',
  'const __filename = __composeletFileURLToPath(import.meta.url);',
  'const __dirname = __composeletDirname(__filename);',
].join(' ');

/** CommonJS modules that dependencies require but composelet never calls: each is replaced by a stand-in
 * whose function (or, with `methods`, whose every named method) throws, so neither it nor what it imports
 * is in the bundle. dockerode's BuildKit session and progress decoder pull in gRPC and protobufjs:
 * composelet builds images with the classic builder and reads progress through the modem
 * (docker-engine.ts). docker-modem's ssh agent pulls in ssh2: parseDockerHost (docker-host.ts) refuses
 * ssh:// before a modem exists. Together 1.4 MiB of the 2 MiB engine-client chunk, which every command
 * that talks to the engine parsed at start. */
export const ABSENT_MODULES = [
  { importer: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, specifier: './session', feature: "dockerode's BuildKit session (composelet builds with the classic builder)" },
  { importer: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, specifier: './buildkit', feature: "dockerode's BuildKit progress decoder (composelet reads progress with docker-modem's)", methods: ['followProgress'] },
  { importer: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, specifier: './ssh', feature: 'docker-modem\'s ssh transport (DOCKER_HOST=ssh:// is not supported)' },
];

const absentModules = {
  name: 'absent-modules',
  setup(build) {
    const applied = new Set();
    build.onResolve({ filter: /^\.\/(session|ssh|buildkit)$/ }, (args) => {
      const rule = ABSENT_MODULES.find((candidate) => candidate.importer.test(args.importer) && candidate.specifier === args.path);
      if (!rule) return undefined;
      applied.add(rule);
      return { path: resolve(args.resolveDir, `${args.path}.js`), namespace: 'absent-module', pluginData: rule };
    });
    build.onLoad({ filter: /.*/, namespace: 'absent-module' }, (args) => {
      const rule = args.pluginData;
      const message = `composelet's build does not include ${rule.feature}`;
      const absent = `function () { throw new Error(${JSON.stringify(message)}); }`;
      const contents = rule.methods ? `module.exports = { ${rule.methods.map((name) => `${name}: ${absent}`).join(', ')} };` : `module.exports = ${absent};`;
      return { contents, loader: 'js' };
    });
    build.onEnd((result) => {
      const missed = ABSENT_MODULES.filter((rule) => !applied.has(rule));
      if (result.errors.length === 0 && missed.length > 0) {
        // A dependency changed how it loads these: say so, rather than silently shipping a slower CLI.
        return { errors: missed.map((rule) => ({ text: `absent-modules: nothing matched ${rule.specifier} from ${rule.importer} (did the dependency change?)` })) };
      }
      return undefined;
    });
  },
};

/** Packages whose `exports` send Node to a CommonJS build although an ES module build ships beside it:
 * CommonJS cannot be tree-shaken, so the whole package lands in the bundle. rxjs's "node" condition
 * comes before its "es2015" one; its ES build (sideEffects: false) keeps only the dozen operators the
 * controller uses (rxjs was 336 KiB of the `run` chunk). */
export const ES_MODULE_BUILDS = [{ specifier: 'rxjs', path: 'node_modules/rxjs/dist/esm/index.js' }];

const esModuleBuilds = {
  name: 'es-module-builds',
  setup(build) {
    build.onResolve({ filter: /^rxjs$/ }, (args) => {
      const rule = ES_MODULE_BUILDS.find((candidate) => candidate.specifier === args.path);
      return rule ? { path: resolve(repository, rule.path) } : undefined;
    });
  },
};

/** zod's namespace of every locale (about 40, a third of zod's size in the bundle) that its classic API
 * and its core re-export: composelet uses English messages only (zod's default), so the namespace holds `en` alone and
 * every one-shot command that validates manifests compiles a smaller chunk. */
export const ZOD_LOCALE_IMPORTERS = [/[\\/]zod[\\/]v4[\\/]classic[\\/]external\.js$/, /[\\/]zod[\\/]v4[\\/]core[\\/]index\.js$/];

const englishOnlyZod = {
  name: 'english-only-zod',
  setup(build) {
    const applied = new Set();
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      const importer = ZOD_LOCALE_IMPORTERS.find((pattern) => pattern.test(args.importer));
      if (!importer) return undefined;
      applied.add(importer);
      return { path: resolve(args.resolveDir, '../locales/en.js'), namespace: 'english-only-zod' };
    });
    build.onLoad({ filter: /.*/, namespace: 'english-only-zod' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
    build.onEnd((result) => {
      const missed = ZOD_LOCALE_IMPORTERS.filter((pattern) => !applied.has(pattern));
      if (result.errors.length === 0 && missed.length > 0) {
        return { errors: missed.map((pattern) => ({ text: `english-only-zod: nothing matched ../locales/index.js from ${pattern} (did zod change?)` })) };
      }
      return undefined;
    });
  },
};

/** The status page's browser side (src/page/client): one minified script for browsers and its stylesheet,
 * into dist/page/, where the controller reads them at start (src/page/server/assets.ts). */
export const PAGE_CLIENT = { script: 'src/page/client/page.ts', stylesheet: 'src/page/client/page.css' };

async function buildPageClient(directory) {
  mkdirSync(resolve(directory, 'page'), { recursive: true });
  copyFileSync(resolve(repository, PAGE_CLIENT.stylesheet), resolve(directory, 'page/page.css'));
  return build({
    absWorkingDir: repository,
    entryPoints: [PAGE_CLIENT.script],
    outfile: resolve(directory, 'page/page.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110', 'firefox110', 'safari16'],
    minify: true,
    logLevel: 'warning',
    metafile: true,
  });
}

/** Builds into `outdir` (relative to the repository, or absolute), emptied first; resolves to esbuild's
 * result, whose metafile says which sources and packages each output file holds. */
export async function buildDist({ outdir = 'dist' } = {}) {
  const directory = resolve(repository, outdir);
  rmSync(directory, { recursive: true, force: true });
  await buildPageClient(directory);
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
    plugins: [absentModules, englishOnlyZod, esModuleBuilds],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await buildDist();
  const outputs = Object.entries(result.metafile.outputs).filter(([path]) => path.endsWith('.js'));
  const bytes = outputs.reduce((total, [, output]) => total + output.bytes, 0);
  process.stderr.write(`build: ${outputs.length} files, ${(bytes / 1024).toFixed(0)} KiB in dist/ (entry: ${ENTRY_POINTS.join(', ')})\n`);
}
