import type { DeviceMapping } from '../model.js';
import { fail, ok, type ParseResult } from './result.js';

// `devices:` entries, as compose-go reads them: short "HOST[:CONTAINER[:PERMISSIONS]]" (the container
// path defaults to the host path, permissions to "rwm") or the long map { source, target, permissions }.
// A CDI device name ("vendor.com/class=name") is not a path: Compose sends it as a device request.

const PERMISSIONS = /^[rwm]{1,3}$/;
const CDI_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*\/[a-zA-Z0-9][a-zA-Z0-9._-]*=[a-zA-Z0-9_.:-]+$/;

export interface DeviceLongSyntax {
  source: string;
  target?: string;
  permissions?: string;
}

export function parseDevice(input: string | DeviceLongSyntax): ParseResult<DeviceMapping> {
  let mapping: DeviceMapping;
  if (typeof input === 'string') {
    const parts = input.split(':');
    if (parts.length > 3) return fail(`confusing device mapping "${input}": use the long syntax (source, target, permissions)`);
    const [source = '', target = '', permissions = 'rwm'] = parts;
    mapping = { source, target: target === '' ? source : target, permissions };
  } else {
    mapping = { source: input.source, target: input.target ?? input.source, permissions: input.permissions ?? 'rwm' };
  }
  if (mapping.source === '') return fail('a device needs a host path');
  if (isCdiDeviceName(mapping.source) && mapping.source === mapping.target) return ok(mapping);
  if (!mapping.source.startsWith('/')) return fail(`device "${mapping.source}" must be an absolute host path or a CDI device name`);
  if (!mapping.target.startsWith('/')) return fail(`device target "${mapping.target}" must be an absolute path`);
  if (!PERMISSIONS.test(mapping.permissions)) {
    return fail(`device permissions "${mapping.permissions}" must be made of r, w and m (such as "rwm")`);
  }
  return ok(mapping);
}

/** A fully qualified CDI device name, which the engine resolves through its CDI driver. */
export function isCdiDeviceName(name: string): boolean {
  return CDI_NAME.test(name);
}
