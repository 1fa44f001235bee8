import type { ServiceLink, VolumesFrom } from '../model.js';
import { fail, ok, type ParseResult } from './result.js';

// Entries that name another service or container: `links:` ("SERVICE" or "SERVICE:ALIAS") and
// `volumes_from:` ("SERVICE", "service:SERVICE" or "container:NAME", each with an optional ":ro"/":rw").

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function parseLink(input: string): ParseResult<ServiceLink> {
  const parts = input.split(':');
  if (parts.length > 2) return fail(`invalid link "${input}": use "SERVICE" or "SERVICE:ALIAS"`);
  const [service = '', alias = service] = parts;
  if (!NAME.test(service)) return fail(`invalid link "${input}": "${service}" is not a service name`);
  if (!NAME.test(alias)) return fail(`invalid link "${input}": "${alias}" is not a valid alias`);
  return ok({ service, alias });
}

export function parseVolumesFrom(input: string): ParseResult<VolumesFrom> {
  const parts = input.split(':');
  let kind: VolumesFrom['kind'] = 'service';
  if (parts[0] === 'container' || parts[0] === 'service') {
    if (parts.length < 2) return fail(`invalid volumes_from "${input}": "${parts[0]}:" needs a name`);
    kind = parts.shift() as VolumesFrom['kind'];
  }
  if (parts.length > 2) return fail(`invalid volumes_from "${input}": use "SERVICE[:ro|rw]" or "container:NAME[:ro|rw]"`);
  const [name = '', mode = 'rw'] = parts;
  if (!NAME.test(name)) return fail(`invalid volumes_from "${input}": "${name}" is not a ${kind} name`);
  if (mode !== 'ro' && mode !== 'rw') return fail(`invalid volumes_from "${input}": the mode must be "ro" or "rw", not "${mode}"`);
  return ok({ kind, name, readOnly: mode === 'ro' });
}
