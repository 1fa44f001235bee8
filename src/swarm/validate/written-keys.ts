import type { Project } from '../../desired-state/model.js';
import { rawDocumentOf } from '../../desired-state/raw-documents.js';

// What the compose files wrote for a service, before normalization: what the model cannot tell apart
// (`restart: "no"` written or left out) or does not keep (a port's `mode`, its place in the list). Read
// from the documents the loader kept (raw-documents.ts); a file it did not keep is simply not seen.

/** The service's mapping in each compose file that writes it, in the order the files merge. */
export function rawServiceEntries(project: Project, serviceName: string): Array<Record<string, unknown>> {
  const entries: Array<Record<string, unknown>> = [];
  for (const file of project.configFiles) {
    const services = asRecord(asRecord(rawDocumentOf(project, file))?.['services']);
    const service = asRecord(services?.[serviceName]);
    if (service) entries.push(service);
  }
  return entries;
}

/** True when any compose file writes `key` for the service. */
export function writesKey(project: Project, serviceName: string, key: string): boolean {
  return rawServiceEntries(project, serviceName).some((entry) => key in entry);
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
