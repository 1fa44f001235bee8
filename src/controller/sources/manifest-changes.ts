import { resolve } from 'node:path';
import { asyncScheduler, debounceTime, defer, filter, groupBy, map, mergeMap, type Observable, type SchedulerLike } from 'rxjs';
import { projectInDirectory } from '../../desired-state/discover.js';
import { WATCHER_READY, watchDirectory, type WatchFunction } from './directory-watch.js';
import { projectKeyOfChange } from './project-key-of-change.js';

// File changes under the manifests root, as project keys for the work queue: "look at project X again".
// Each project is debounced on its own, so a burst of writes to one project (an editor save, a `git pull`)
// emits its key once after things go quiet, and a change to another project is not held back by it.

export interface ManifestChangesOptions {
  /** The manifests root: a project directory, or a directory whose subdirectories are projects. */
  root: string;
  /** Quiet time per project before its key is emitted; 300 ms unless given. */
  debounceMs?: number;
  /** The source of raw file changes; a chokidar watcher on the root unless given. */
  watch?: WatchFunction;
  /** Called once the watcher watches (edits made before that are only seen by the resync). */
  onReady?: () => void;
  /** For the debounce timers; tests pass a TestScheduler. */
  scheduler?: SchedulerLike;
}

/** Project keys: the project directory relative to the root, or '.' when the root is the project. */
export function manifestChanges(options: ManifestChangesOptions): Observable<string> {
  const root = resolve(options.root);
  const debounceMs = options.debounceMs ?? 300;
  const scheduler = options.scheduler ?? asyncScheduler;
  const watch = options.watch ?? watchDirectory;
  return defer(() => watch(root)).pipe(
    filter((change) => {
      if (change.event !== WATCHER_READY) return true;
      options.onReady?.();
      return false;
    }),
    // Asked on every change: a compose file appearing in the root turns it into a project.
    map((change) => projectKeyOfChange(change, { root, rootIsProject: projectInDirectory(root) !== null })),
    filter((projectKey): projectKey is string => projectKey !== null),
    groupBy((projectKey) => projectKey),
    mergeMap((changesOfOneProject) => changesOfOneProject.pipe(debounceTime(debounceMs, scheduler))),
  );
}
