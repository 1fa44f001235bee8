import { isAbsolute, relative, resolve } from 'node:path';
import { COMPOSE_FILE_NAMES } from '../../desired-state/discover.js';

// Which project a changed file belongs to, as discover.ts lays projects out: when the manifests root is a
// project itself (it holds a compose file) everything under it is project '.'; otherwise each directory
// directly under the root is a project, keyed by its name, and files lying directly in the root belong to
// none (except a compose file, whose arrival or removal turns the root into a project or back). Git's
// own files and editor scratch files are never changes to a project.

export interface FileChange {
  /** Absolute, or relative to the root. */
  path: string;
  /** chokidar's event name: add, addDir, change, unlink, unlinkDir (anything else counts as a file event). */
  event: string;
}

const DIRECTORY_EVENTS: ReadonlySet<string> = new Set(['addDir', 'unlinkDir']);
const COMPOSE_FILES: ReadonlySet<string> = new Set(COMPOSE_FILE_NAMES);

/** The project key for a change under `root`, or null for a change that concerns no project. */
export function projectKeyOfChange(change: FileChange, context: { root: string; rootIsProject: boolean }): string | null {
  const segments = segmentsUnder(context.root, change.path);
  if (segments === null || isIgnoredPath(segments)) return null;
  if (context.rootIsProject) return '.';
  const [first] = segments;
  if (first === undefined) return null;
  if (segments.length === 1 && !DIRECTORY_EVENTS.has(change.event)) return COMPOSE_FILES.has(first) ? '.' : null;
  // discover.ts skips hidden directories: .github, .vscode are not projects.
  return first.startsWith('.') ? null : first;
}

/** True for anything inside a .git directory and for editor swap, backup and lock files. */
export function isIgnoredPath(segments: readonly string[]): boolean {
  if (segments.includes('.git')) return true;
  const name = segments.at(-1);
  return name !== undefined && isEditorScratchFile(name);
}

function isEditorScratchFile(name: string): boolean {
  return (
    /\.sw[a-px]$/.test(name) || // vim swap files: .swp, .swo, .swx ...
    name.endsWith('~') || // vim, emacs backups
    name.startsWith('.#') || // emacs lock files
    name === '4913' // vim's "can I write here" probe
  );
}

/** The path's segments relative to root ([] for the root itself), or null outside root. */
export function segmentsUnder(root: string, path: string): string[] | null {
  const absoluteRoot = resolve(root);
  const relativePath = relative(absoluteRoot, resolve(absoluteRoot, path));
  if (relativePath === '') return [];
  if (isAbsolute(relativePath)) return null;
  const segments = relativePath.split(/[\\/]/);
  return segments[0] === '..' ? null : segments;
}

