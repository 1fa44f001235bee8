import type { EngineEvent } from '../../engine/engine-port.js';
import { COMPOSE_PROJECT, OWNED_BY_COMPOSELET, isOwned } from '../../reconciler/labels.js';

// Which engine events mean "look at project X again". Only container events of containers composelet
// owns: their Actor.Attributes carry the container's labels, so the project is right there. Network
// events carry no labels (an out-of-band `docker network disconnect` names only the network and the
// container id), so the engine's label filter drops them; the periodic resync catches those changes.
// The event itself is never acted on: the controller re-reads the project.

export type EngineSignal =
  | { kind: 'event'; project: string; event: EngineEvent }
  /** The stream was down and is back: events may have been missed, relist everything before acting. */
  | { kind: 'reconnected' };

/** What composelet subscribes to: container events of owned containers. */

/** Container actions after which the actual state may differ from the desired one. `start` and `create`
 * are left out (composelet does those itself); `health_status` arrives as `health_status: healthy`. */
export const ACTIONS_OF_INTEREST: ReadonlySet<string> = new Set([
  'die',
  'stop',
  'kill',
  'oom',
  'destroy',
  'health_status',
  'update',
  'rename',
]);

/** What the controller asks the engine for: owned containers' events of interest only. Everything else
 * (above all the exec_create/exec_start/exec_die of every healthcheck run, three per check) stays in the
 * engine instead of being sent, parsed and dropped: that was most of an idle controller's CPU. The engine
 * matches `health_status` against `health_status: healthy` too (moby's fuzzy match for that event). */
export const ENGINE_EVENT_FILTERS = { type: ['container'], label: [`${OWNED_BY_COMPOSELET}=true`], event: [...ACTIONS_OF_INTEREST] };

/** The signal for an engine event, or null when the event says nothing composelet has to look at. */
export function engineSignalOf(event: EngineEvent): Extract<EngineSignal, { kind: 'event' }> | null {
  if (event.Type !== 'container') return null;
  if (!ACTIONS_OF_INTEREST.has(actionName(event.Action))) return null;
  const attributes = event.Actor?.Attributes ?? {};
  // The engine filtered by label already; checked again so a fake or older engine cannot widen ownership.
  if (!isOwned(attributes)) return null;
  const project = attributes[COMPOSE_PROJECT];
  if (project === undefined || project === '') return null;
  return { kind: 'event', project, event };
}

/** `health_status: unhealthy` -> `health_status`; `exec_start: sh -c ...` -> `exec_start`. */
export function actionName(action: string): string {
  const colon = action.indexOf(':');
  return (colon < 0 ? action : action.slice(0, colon)).trim();
}
