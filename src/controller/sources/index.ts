// What feeds the work queue: project keys from manifest changes and engine events, and a resync timer.

export { abortableDelay, type DelayFunction } from './abortable-delay.js';
export { watchDirectory, type WatchFunction } from './directory-watch.js';
export { DEFAULT_RECONNECT_BACKOFF, engineEvents, type EngineEventsOptions } from './engine-events.js';
export { ACTIONS_OF_INTEREST, ENGINE_EVENT_FILTERS, engineSignalOf, type EngineSignal } from './engine-signal.js';
export { manifestChanges, type ManifestChangesOptions } from './manifest-changes.js';
export { projectKeyOfChange, type FileChange } from './project-key-of-change.js';
export { resync, type ResyncOptions } from './resync.js';
