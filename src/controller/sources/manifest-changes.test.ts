import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../../test/support/eventually.js';
import { manifestChanges } from './manifest-changes.js';
import type { FileChange } from './project-key-of-change.js';

// Timing on the TestScheduler with a scripted watcher; one test at the end runs the real chokidar watcher.

const root = '/srv/manifests';
const temporaryDirectories: string[] = [];

afterEach(() => {
  for (const directory of temporaryDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(): string {
  const directory = realpathSync(mkdtempSync(join(tmpdir(), 'composelet-manifests-')));
  temporaryDirectories.push(directory);
  return directory;
}

function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

function change(path: string, event = 'change'): FileChange {
  return { path: join(root, path), event };
}

describe('manifestChanges with a scripted watcher', () => {
  it('must emit a project once after a burst of changes to it goes quiet', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const changes = cold('a 99ms b 149ms c', {
        a: change('web/compose.yaml'),
        b: change('web/compose.override.yaml'),
        c: change('web/.env'),
      });
      const keys = manifestChanges({ root, debounceMs: 300, watch: () => changes });
      expectObservable(keys, '^ 2s !').toBe('550ms w', { w: 'web' });
    });
  });

  it('must debounce each project on its own', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const changes = cold('w 99ms a 99ms w', { w: change('web/compose.yaml'), a: change('api/compose.yaml') });
      const keys = manifestChanges({ root, debounceMs: 300, watch: () => changes });
      expectObservable(keys, '^ 2s !').toBe('400ms a 99ms w', { a: 'api', w: 'web' });
    });
  });

  it('must emit every project a git pull touched once, and nothing for git files or editor scratch files', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const changes = cold('(abcdefgh)', {
        a: change('.git/ORIG_HEAD'),
        b: change('web/compose.yaml'),
        c: change('web/nginx/default.conf', 'add'),
        d: change('api/compose.yaml'),
        e: change('api/old.env', 'unlink'),
        f: change('README.md'),
        g: change('web/.compose.yaml.swp', 'add'),
        h: change('.git/refs/heads/main'),
      });
      const keys = manifestChanges({ root, debounceMs: 300, watch: () => changes });
      expectObservable(keys, '^ 2s !').toBe('300ms (wa)', { w: 'web', a: 'api' });
    });
  });

  it('must emit once for an atomic save, whether it arrives as unlink and add or as a rename', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const changes = cold('abc 97ms (de)', {
        a: change('web/compose.yaml.tmp', 'add'),
        b: change('web/compose.yaml', 'unlink'),
        c: change('web/compose.yaml', 'add'),
        d: change('api/compose.yaml', 'rename'),
        e: change('api/4913', 'add'),
      });
      const keys = manifestChanges({ root, debounceMs: 300, watch: () => changes });
      expectObservable(keys, '^ 2s !').toBe('302ms w 97ms a', { w: 'web', a: 'api' });
    });
  });

  it("must key every change in a root that is a project itself as '.'", () => {
    const projectRoot = temporaryDirectory();
    writeFileSync(join(projectRoot, 'compose.yaml'), 'services: {}\n');
    mkdirSync(join(projectRoot, 'config'));
    testScheduler().run(({ cold, expectObservable }) => {
      const changes = cold('a 9ms b', {
        a: { path: join(projectRoot, 'compose.yaml'), event: 'change' },
        b: { path: join(projectRoot, 'config', 'app.ini'), event: 'add' },
      });
      const keys = manifestChanges({ root: projectRoot, debounceMs: 100, watch: () => changes });
      expectObservable(keys, '^ 1s !').toBe('110ms r', { r: '.' });
    });
  });

  it('must watch the resolved root and stop watching when unsubscribed', () => {
    const watched: string[] = [];
    const changes = new Subject<FileChange>();
    const subscription = manifestChanges({
      root: '/srv/manifests/../manifests/',
      watch: (watchedRoot) => {
        watched.push(watchedRoot);
        return changes;
      },
    }).subscribe();
    expect(watched).toEqual([root]);
    expect(changes.observed).toBe(true);
    subscription.unsubscribe();
    expect(changes.observed).toBe(false);
  });
});

describe('manifestChanges with the real watcher', () => {
  it('must emit the project of a created file and of an atomic rename save', { timeout: 30_000 }, async () => {
    const manifestsRoot = temporaryDirectory();
    await mkdir(join(manifestsRoot, 'web'));
    await writeFile(join(manifestsRoot, 'web', 'compose.yaml'), 'services: {}\n');
    const seen: string[] = [];
    const subscription = manifestChanges({ root: manifestsRoot, debounceMs: 50 }).subscribe((key) => seen.push(key));
    try {
      // The watcher is ready once a write is seen; until then, keep writing.
      let writes = 0;
      await eventually(
        async () => {
          writes += 1;
          await writeFile(join(manifestsRoot, 'web', 'compose.yaml'), `services: {}\n# write ${writes}\n`);
          expect(seen).toContain('web');
        },
        { message: 'watcher ready' },
      );

      seen.length = 0;
      await mkdir(join(manifestsRoot, 'api'));
      await writeFile(join(manifestsRoot, 'api', 'compose.yaml'), 'services: {}\n');
      await eventually(() => expect(seen).toContain('api'), { message: 'created file' });

      seen.length = 0;
      const temporaryFile = join(manifestsRoot, 'web', '.compose.yaml.tmp');
      await writeFile(temporaryFile, 'services:\n  app: { image: busybox }\n');
      await rename(temporaryFile, join(manifestsRoot, 'web', 'compose.yaml'));
      await eventually(() => expect(seen).toContain('web'), { message: 'atomic rename save' });
      expect(seen).not.toContain('api');
    } finally {
      subscription.unsubscribe();
    }
  });
});
