import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDesiredState, type LoadOptions, type LoadResult } from '../load.js';
import { openSecretSources } from '../secrets/secret-sources.js';
import { ProjectLoadCache, environmentText } from './project-cache.js';

// A project loaded again through the cache must be exactly what a load from scratch gives, whatever input
// changed in between; unchanged, it must be the very same model (nothing parsed, validated or hashed again).

const COMPOSE = `name: shop
services:
  app:
    image: composelet/busybox:\${TAG:-1}
    environment:
      FROM_DOTENV: \${FROM_DOTENV:-unset}
`;

interface Scenario {
  /** What changes between the two loads. */
  input: string;
  /** Files by path under the test's root; the project is `app/`. */
  files: Record<string, string>;
  /** Load options of the first load (the root is given for paths). */
  options?: (root: string) => Partial<LoadOptions>;
  /** The change: edits files and may return other load options for the second load. */
  change: (root: string) => Partial<LoadOptions> | void;
}

const write = (root: string, path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

const scenarios: Scenario[] = [
  { input: 'the compose file', files: { 'app/compose.yaml': COMPOSE }, change: (root) => write(root, 'app/compose.yaml', COMPOSE.replace('FROM_DOTENV:', 'OTHER:')) },
  { input: 'an override file created', files: { 'app/compose.yaml': COMPOSE }, change: (root) => write(root, 'app/compose.override.yaml', 'services:\n  app:\n    image: composelet/busybox:9\n') },
  { input: 'an environment variable the file interpolates', files: { 'app/compose.yaml': COMPOSE }, change: () => ({ environment: { TAG: '2' } }) },
  { input: '.env created', files: { 'app/compose.yaml': COMPOSE }, change: (root) => write(root, 'app/.env', 'FROM_DOTENV=yes\n') },
  { input: '.env edited', files: { 'app/compose.yaml': COMPOSE, 'app/.env': 'FROM_DOTENV=yes\n' }, change: (root) => write(root, 'app/.env', 'FROM_DOTENV=no\n') },
  { input: '.env removed', files: { 'app/compose.yaml': COMPOSE, 'app/.env': 'FROM_DOTENV=yes\n' }, change: (root) => rmSync(join(root, 'app/.env')) },
  {
    input: 'a service env_file edited',
    files: { 'app/compose.yaml': `${COMPOSE}    env_file: app.env\n`, 'app/app.env': 'A=1\n' },
    change: (root) => write(root, 'app/app.env', 'A=2\n'),
  },
  {
    input: 'an optional env_file created',
    files: { 'app/compose.yaml': `${COMPOSE}    env_file:\n      - path: optional.env\n        required: false\n` },
    change: (root) => write(root, 'app/optional.env', 'B=1\n'),
  },
  {
    input: 'a required env_file removed',
    files: { 'app/compose.yaml': `${COMPOSE}    env_file: app.env\n`, 'app/app.env': 'A=1\n' },
    change: (root) => rmSync(join(root, 'app/app.env')),
  },
  {
    input: 'an included compose file',
    files: { 'app/compose.yaml': `include:\n  - ../lib/compose.yaml\n${COMPOSE}`, 'lib/compose.yaml': 'services:\n  lib:\n    image: composelet/busybox:1\n' },
    change: (root) => write(root, 'lib/compose.yaml', 'services:\n  lib:\n    image: composelet/busybox:2\n'),
  },
  {
    input: "an included project's .env created",
    files: { 'app/compose.yaml': `include:\n  - ../lib/compose.yaml\n${COMPOSE}`, 'lib/compose.yaml': 'services:\n  lib:\n    image: composelet/busybox:${LIB_TAG:-1}\n' },
    change: (root) => write(root, 'lib/.env', 'LIB_TAG=3\n'),
  },
  {
    input: 'an extends file',
    files: { 'app/compose.yaml': `${COMPOSE}  child:\n    extends:\n      file: base.yaml\n      service: base\n`, 'app/base.yaml': 'services:\n  base:\n    image: composelet/busybox:1\n' },
    change: (root) => write(root, 'app/base.yaml', 'services:\n  base:\n    image: composelet/busybox:2\n'),
  },
  {
    input: "a secret's file removed",
    files: { 'app/compose.yaml': `${COMPOSE}    secrets: [token]\nsecrets:\n  token:\n    file: token.txt\n`, 'app/token.txt': 'x\n' },
    change: (root) => rmSync(join(root, 'app/token.txt')),
  },
  {
    input: "the --secrets-dir project file's content",
    files: { 'app/compose.yaml': COMPOSE, 'secrets/shop.env': 'FROM_DOTENV=secret-1\n' },
    options: (root) => ({ secrets: secretsDir(root) }),
    change: (root) => write(root, 'secrets/shop.env', 'FROM_DOTENV=secret-2\n'),
  },
  {
    input: "the --secrets-dir project file's mode",
    files: { 'app/compose.yaml': COMPOSE, 'secrets/shop.env': 'FROM_DOTENV=secret-1\n' },
    options: (root) => ({ secrets: secretsDir(root) }),
    change: (root) => chmodSync(join(root, 'secrets/shop.env'), 0o644),
  },
  {
    input: 'other secret sources',
    files: { 'app/compose.yaml': COMPOSE, 'secrets/shop.env': 'FROM_DOTENV=secret-1\n' },
    change: (root) => ({ secrets: secretsDir(root) }),
  },
  {
    input: 'the active profiles',
    files: { 'app/compose.yaml': `${COMPOSE}  debug:\n    image: composelet/busybox:1\n    profiles: [debug]\n` },
    change: () => ({ profiles: ['debug'] }),
  },
  { input: 'the project name option', files: { 'app/compose.yaml': COMPOSE }, change: () => ({ projectName: 'other' }) },
  {
    input: 'the --target option',
    files: { 'app/compose.yaml': `${COMPOSE}    ports: ["8080:80"]\n    deploy: { replicas: 2 }\n` },
    options: () => ({ target: 'swarm' as const }),
    change: () => ({ target: 'engine' as const }),
  },
  { input: 'a valid file broken', files: { 'app/compose.yaml': COMPOSE }, change: (root) => write(root, 'app/compose.yaml', `${COMPOSE}    ports: [nonsense]\n`) },
  { input: 'a broken file fixed', files: { 'app/compose.yaml': `${COMPOSE}    ports: [nonsense]\n` }, change: (root) => write(root, 'app/compose.yaml', COMPOSE) },
];

function secretsDir(root: string) {
  chmodSync(join(root, 'secrets/shop.env'), 0o600);
  const opened = openSecretSources({ secretsDir: join(root, 'secrets') });
  if (!opened.ok) throw new Error(opened.message);
  return opened.sources;
}

describe('ProjectLoadCache', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });
  const rootWith = (files: Record<string, string>) => {
    const root = mkdtempSync(join(tmpdir(), 'composelet-project-cache-'));
    roots.push(root);
    for (const [path, text] of Object.entries(files)) write(root, path, text);
    return root;
  };
  const load = (root: string, options: Partial<LoadOptions>): LoadResult => loadDesiredState(join(root, 'app'), { environment: {}, homeDir: root, ...options });

  it.each(scenarios)('a load after a change of $input must equal a load from scratch', ({ files, options, change }) => {
    const root = rootWith(files);
    const cache = new ProjectLoadCache();
    const firstOptions = { ...options?.(root) };
    const first = load(root, { ...firstOptions, cache });
    const secondOptions = { ...firstOptions, ...change(root) };
    const second = load(root, { ...secondOptions, cache });
    expect(second).toEqual(load(root, secondOptions));
    expect(second).not.toEqual(first);
  });

  it.each(scenarios)('a project whose inputs did not change must be the same model ($input, before the change)', ({ files, options }) => {
    const root = rootWith(files);
    const cache = new ProjectLoadCache();
    const sameOptions = { ...options?.(root) };
    const first = load(root, { ...sameOptions, cache });
    const second = load(root, { ...sameOptions, cache });
    expect(second).toEqual(first);
    if (first.ok && second.ok) expect(second.state.projects[0]).toBe(first.state.projects[0]);
  });

  it('a manifest with problems must not be kept: its problems are reported at every load', () => {
    const root = rootWith({ 'app/compose.yaml': `${COMPOSE}    ports: [nonsense]\n` });
    const cache = new ProjectLoadCache();
    expect(load(root, { cache }).ok).toBe(false);
    expect(cache.size).toBe(0);
    expect(load(root, { cache }).ok).toBe(false);
  });
});

describe('environmentText', () => {
  it.each([
    { left: { A: '1', B: '2' }, right: { B: '2', A: '1' }, same: true },
    { left: { A: '1' }, right: { A: '1', B: undefined }, same: true },
    { left: { A: '1' }, right: { A: '2' }, same: false },
    { left: { A: '1' }, right: { A: '1', B: '' }, same: false },
    { left: { 'A,B': 'C' }, right: { A: 'B,C' }, same: false },
  ])('$left and $right: same environment $same', ({ left, right, same }) => {
    expect(environmentText(left) === environmentText(right)).toBe(same);
  });
});
