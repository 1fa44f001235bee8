import { canonicalJson, sha256Hex } from '../../desired-state/canonical-json.js';

// Which spec a task runs: the engine returns each task's own spec (the service's TaskTemplate when Swarm
// made the task) but no service version, so composelet compares hashes of the two. The engine adds
// `Runtime` to a service's TaskTemplate and not to its tasks' spec (API 1.41, checked on the cluster), so
// it is left out of both; everything else is equal field for field while the task is current.

const NOT_ON_TASKS = ['Runtime'];

export function templateHash(template: Record<string, unknown> | null | undefined): string | null {
  if (template === null || template === undefined) return null;
  const comparable = Object.fromEntries(Object.entries(template).filter(([key]) => !NOT_ON_TASKS.includes(key)));
  return sha256Hex(canonicalJson(comparable));
}
