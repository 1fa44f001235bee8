import { watch } from 'node:fs';
import { Observable } from 'rxjs';

// Project names whose suspension file changed (`composelet suspend` / `resume` wrote it): the controller
// reconciles that project at once, so a resume heals without waiting for the resync. The directory is
// watched (not the files): the CLI replaces a file by renaming a temporary one over it. Temporary files
// (dot files) are not suspensions. The reconcile re-reads the file; the event only says "look again".

export function projectOfSuspensionFile(filename: string | null): string | null {
  if (filename === null || filename.startsWith('.') || !filename.endsWith('.json')) return null;
  const project = filename.slice(0, -'.json'.length);
  return project === '' ? null : project;
}

export function suspensionChanges(directory: string): Observable<string> {
  return new Observable<string>((subscriber) => {
    const watcher = watch(directory, { persistent: false }, (_event, filename) => {
      const project = projectOfSuspensionFile(filename === null ? null : String(filename));
      if (project !== null) subscriber.next(project);
    });
    watcher.on('error', (error) => subscriber.error(error));
    return () => watcher.close();
  });
}
