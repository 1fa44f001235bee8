import type { FieldDifference } from '../compare/compare.js';
import { pointerSegments } from '../compare/compare.js';

// Each difference in words, desired first, then live: "env LOG_LEVEL changed: info -> debug",
// "memory limit changed out of band: 128MiB -> 256MiB", "not connected to network p_backend". Values are
// already redacted when they get here; long ones are left to the report's desired/live fields.

const FIELD_NAMES: Record<string, string> = {
  name: 'container name',
  image: 'image',
  command: 'command',
  entrypoint: 'entrypoint',
  user: 'user',
  workingDir: 'working_dir',
  exposedPorts: 'exposed ports',
  healthcheck: 'healthcheck',
  capAdd: 'cap_add',
  capDrop: 'cap_drop',
  securityOpt: 'security_opt',
  privileged: 'privileged',
  readOnly: 'read_only',
  init: 'init',
  tty: 'tty',
  openStdin: 'stdin_open',
  extraHosts: 'extra_hosts',
  dns: 'dns',
  dnsSearch: 'dns_search',
  dnsOptions: 'dns_opt',
  groupAdd: 'group_add',
  stopSignal: 'stop_signal',
  networkMode: 'network_mode',
  hostname: 'hostname',
  pidMode: 'pid',
  ipcMode: 'ipc',
  shmSizeBytes: 'shm_size',
  stopTimeoutSeconds: 'stop_grace_period (seconds)',
  logging: 'logging',
};

/** Keyed maps: how one entry is named. */
const ENTRY_NAMES: Record<string, string> = {
  environment: 'env',
  labels: 'label',
  ports: 'published port',
  mounts: 'mount at',
  tmpfs: 'tmpfs at',
  ulimits: 'ulimit',
  sysctls: 'sysctl',
};

const LIMIT_NAMES: Record<string, string> = {
  memoryBytes: 'memory limit',
  memoryReservationBytes: 'memory reservation',
  memswapBytes: 'memory+swap limit',
  nanoCpus: 'cpu limit',
  cpuShares: 'cpu shares',
  pidsLimit: 'pids limit',
  restart: 'restart policy',
};

const MAX_VALUE_LENGTH = 72;

export function describeDifference(difference: FieldDifference): string {
  const [field = '', key, detail] = pointerSegments(difference.path);
  if (field === 'limits' && key !== undefined) return describeLimit(key, difference);
  if (field === 'networks' && key !== undefined) return describeNetwork(key, detail, difference);
  if (field === 'imageId') {
    return `runs image ${shortId(difference.live)}, not ${shortId(difference.desired)} that its tag names now (rebuilt or pulled since)`;
  }
  const entryName = ENTRY_NAMES[field];
  if (entryName !== undefined && key !== undefined) return describeEntry(`${entryName} ${key}`, difference);
  return describeEntry(FIELD_NAMES[field] ?? field, difference);
}

function describeEntry(subject: string, difference: FieldDifference): string {
  switch (difference.op) {
    case 'add':
      return `${subject} is set on the container but not in the manifests${valueSuffix(': ', difference.live)}`;
    case 'remove':
      return `${subject} is missing from the container${valueSuffix(' (wanted: ', difference.desired, ')')}`;
    case 'replace':
      return `${subject} changed${transition(formatValue(difference.desired), formatValue(difference.live))}`;
  }
}

function describeLimit(key: string, difference: FieldDifference): string {
  const subject = LIMIT_NAMES[key] ?? key;
  const format = (value: unknown) => formatLimit(key, value);
  return `${subject} changed out of band${transition(format(difference.desired), format(difference.live))}`;
}

function describeNetwork(network: string, detail: string | undefined, difference: FieldDifference): string {
  if (detail === undefined) {
    if (difference.op === 'remove') return `not connected to network ${network}`;
    if (difference.op === 'add') return `connected to network ${network}, which the manifests do not name for it`;
    return `endpoint on network ${network} changed`;
  }
  const subject = detail === 'aliases' ? `aliases on network ${network}` : `${detail} on network ${network}`;
  return `${subject} changed${transition(formatValue(difference.desired), formatValue(difference.live))}`;
}

/** ": a -> b", or "" when either side is too long to read in a sentence. */
function transition(desired: string | null, live: string | null): string {
  if (desired === null || live === null) return '';
  return `: ${desired} -> ${live}`;
}

function valueSuffix(before: string, value: unknown, after = ''): string {
  const formatted = formatValue(value);
  return formatted === null ? '' : `${before}${formatted}${after}`;
}

/** A value in words, or null when too long for a sentence. */
export function formatValue(value: unknown): string | null {
  let text: string;
  if (value === null || value === undefined) text = 'none';
  else if (typeof value === 'string') text = value === '' ? '""' : value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) text = `[${value.join(', ')}]`;
  else if (isMount(value)) text = `${value.type} ${value.source}${value.readOnly ? ' (read-only)' : ''}`.trim();
  else text = JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? null : text;
}

export function formatLimit(key: string, value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (key === 'restart' && typeof value === 'object') {
    const policy = value as { name: string; maximumRetryCount: number };
    return policy.maximumRetryCount > 0 ? `${policy.name}:${policy.maximumRetryCount}` : policy.name;
  }
  if (typeof value !== 'number') return String(value);
  if (key === 'nanoCpus') return `${value / 1e9} cpus`;
  if (key.endsWith('Bytes')) return formatBytes(value);
  return String(value);
}

/** 268435456 -> "256MiB"; exact binary units when they fit, else bytes. */
export function formatBytes(bytes: number): string {
  if (bytes < 0) return String(bytes);
  const units = ['GiB', 'MiB', 'KiB'] as const;
  const sizes = [2 ** 30, 2 ** 20, 2 ** 10];
  for (const [index, size] of sizes.entries()) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${units[index]}`;
  }
  return `${bytes}B`;
}

function isMount(value: unknown): value is { type: string; source: string; readOnly: boolean } {
  return value !== null && typeof value === 'object' && 'type' in value && 'source' in value && 'readOnly' in value;
}

function shortId(value: unknown): string {
  const text = typeof value === 'string' ? value : 'none';
  return text.startsWith('sha256:') ? text.slice(0, 19) : text;
}
