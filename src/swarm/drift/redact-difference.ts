import type { Redactor } from '../../redaction/redact.js';
import type { SpecDifference } from './compare-spec.js';

// No secret value leaves a Swarm drift report. A spec difference under the container's environment,
// command, arguments or labels may hold one (a password in Env, a token in a flag): each side of such a
// difference is shown as its marker (which changes when the value does), by path, never by looking at
// the text. Limits, images, replicas and the rest are shown as they are.

const SECRET_BEARING = /\/ContainerSpec\/(Env|Args|Command)(\/|$)|\/Labels(\/|$)/;

/** One side of a difference as a report may show it: null for absent, a marker on a secret-bearing path. */
export function shownSpecValue(path: string, value: unknown, redactor: Redactor): unknown {
  if (value === undefined) return null;
  if (!SECRET_BEARING.test(path)) return value;
  return redactor.marker(JSON.stringify(value));
}

export function redactDifference(difference: SpecDifference, redactor: Redactor): SpecDifference {
  return { path: difference.path, desired: shownSpecValue(difference.path, difference.desired, redactor), observed: shownSpecValue(difference.path, difference.observed, redactor) };
}
