import { watch } from 'chokidar';
import { Observable } from 'rxjs';
import type { FileChange } from './project-key-of-change.js';
import { segmentsUnder } from './project-key-of-change.js';

// The real file watcher behind manifestChanges: chokidar over the whole tree, without the initial scan
// (the controller lists every project at start anyway) and without descending into .git. No
// awaitWriteFinish: the per-project debounce waits for quiet instead. Atomic saves (write a temporary
// file, rename it over the old one) arrive as unlink + add, or as one change when chokidar's `atomic`
// option merges them; either way they touch paths of the same project. A watcher error ends the
// observable; unsubscribing closes the watcher.

export type WatchFunction = (root: string) => Observable<FileChange>;

/** The event a watcher emits once its initial scan is done (not a file change). */
export const WATCHER_READY = 'watcher-ready';

export const watchDirectory: WatchFunction = (root) =>
  new Observable<FileChange>((subscriber) => {
    const watcher = watch(root, {
      ignoreInitial: true,
      ignored: (path: string) => segmentsUnder(root, path)?.includes('.git') ?? false,
    });
    watcher.on('all', (event, path) => subscriber.next({ event, path }));
    // Changes made before the watcher is ready are missed: say when it is, so readiness can wait for it.
    watcher.on('ready', () => subscriber.next({ event: WATCHER_READY, path: root }));
    watcher.on('error', (error) => subscriber.error(error));
    return () => {
      watcher.close().catch(() => undefined);
    };
  });
