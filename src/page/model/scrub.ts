import type { Project } from '../../desired-state/model.js';
import { redactEvidence } from '../../redaction/redact-evidence.js';
import type { Redactor } from '../../redaction/redact.js';

// The page's last line of defence, on top of the models' own redaction (drift, audit and status redact as
// they are made): every string of the snapshot has each desired service's secret values replaced by their
// markers and credentials in URLs redacted, as container output quoted as evidence is (redact-evidence.ts).

export function scrubber(projects: readonly Project[], redactor: Redactor): (text: string) => string {
  const services = projects.flatMap((project) => Object.values(project.services));
  return (text) => services.reduce((scrubbed, service) => redactEvidence(scrubbed, service, redactor), redactor.text(text));
}

/** A copy of `value` with every string (keys kept) passed through `scrub`. */
export function scrubStrings<T>(value: T, scrub: (text: string) => string): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (Array.isArray(value)) return value.map((item) => scrubStrings(item, scrub)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubStrings(item, scrub)])) as T;
  }
  return value;
}
