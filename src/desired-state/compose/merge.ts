// Docker Compose's rules for merging compose files (`-f a.yaml -f b.yaml`) and `extends`, per the compose
// spec's merge.md and compose-go's `override` package. Inputs are raw parsed YAML (after interpolation, before
// normalization), so the list and map forms of the same attribute both occur; where a rule merges by key, the
// result is in map form. Inputs are never mutated and the result shares no objects with them.
//
// General rules: mappings are merged key by key, recursively; sequences are appended with exact duplicates
// dropped; scalars are replaced by the override. A null in the override leaves the base value in place
// (`command`, `entrypoint`, `healthcheck.test` and `x-*` keys excepted: those are replaced outright, even by
// null). A value whose shape a rule does not recognize is not reshaped: the override's value is kept as
// written (the base's when the override has none), so validation still sees and reports it.

type Mapping = Record<string, unknown>;
type Rule = (base: unknown, override: unknown) => unknown;
type Rules = Readonly<Record<string, Rule>>;

/** Merge two whole compose documents (top-level maps): services merged per service with mergeService;
 * networks, volumes, secrets, configs merged per key (maps merged recursively, override wins on scalars);
 * `name` overridden; x-* keys: override replaces. Returns a new object, never mutates inputs. */
export function mergeDocuments(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  return mergeWithRules(base, override, documentRules);
}

/** Merge one service definition over another. */
export function mergeService(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  return mergeWithRules(base, override, serviceRules);
}

// ---------------------------------------------------------------------------------------------------------
// Generic machinery

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => clone(item)) as T;
  if (isMapping(value)) {
    const copy: Mapping = {};
    for (const [key, item] of Object.entries(value)) copy[key] = clone(item);
    return copy as T;
  }
  return value;
}

/** A key equal for deep-equal values, whatever the order of their mapping keys. */
function stableKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (isMapping(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableKey(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** Base when the override is absent (null or missing); otherwise the override, as written. */
function keepBaseUnlessOverridden(base: unknown, override: unknown): unknown {
  if (override === undefined) return clone(base ?? null);
  if (override === null) return base === undefined ? null : clone(base);
  return clone(override);
}

/** Override replaces outright, null included. */
const replace: Rule = (base, override) => (override === undefined ? clone(base ?? null) : clone(override));

/** The default: mappings merged recursively, sequences appended without duplicates, scalars replaced. */
function mergeValues(base: unknown, override: unknown): unknown {
  if (isAbsent(override) || isAbsent(base)) return keepBaseUnlessOverridden(base, override);
  if (isMapping(base) && isMapping(override)) return mergeWithRules(base, override, {});
  if (Array.isArray(base) && Array.isArray(override)) return mergeUnique(base, override, stableKey);
  return clone(override);
}

/** Every key of either side, base order first; a key with a rule goes through it even when only one side
 * has it, so the result's form does not depend on which file the key came from. */
function mergeWithRules(base: Mapping, override: Mapping, rules: Rules): Mapping {
  const result: Mapping = {};
  const keys = new Set([...Object.keys(base), ...Object.keys(override)]);
  for (const key of keys) {
    const baseValue = base[key];
    const overrideValue = override[key];
    const rule = rules[key];
    if (rule !== undefined) result[key] = rule(baseValue, overrideValue);
    else if (key.startsWith('x-')) result[key] = replace(baseValue, overrideValue);
    else result[key] = mergeValues(baseValue, overrideValue);
  }
  return result;
}

function nested(rules: Rules): Rule {
  return (base, override) => {
    if (isAbsent(override) || isAbsent(base)) {
      const only = isAbsent(override) ? base : override;
      if (isMapping(only)) return mergeWithRules(only, {}, rules);
      return keepBaseUnlessOverridden(base, override);
    }
    if (isMapping(base) && isMapping(override)) return mergeWithRules(base, override, rules);
    return clone(override);
  };
}

/**
 * Concatenation of both sequences where entries sharing a key are merged into the first one's place:
 * `combine` decides the merged entry (by default the later entry replaces the earlier). Duplicates inside
 * one side collapse the same way, as compose-go's unicity pass does.
 */
function mergeUnique(
  base: readonly unknown[],
  override: readonly unknown[],
  keyOf: (entry: unknown) => string,
  combine: (earlier: unknown, later: unknown) => unknown = (_earlier, later) => clone(later),
): unknown[] {
  const result: unknown[] = [];
  const positions = new Map<string, number>();
  for (const entry of [...base, ...override]) {
    const key = keyOf(entry);
    const position = positions.get(key);
    if (position === undefined) {
      positions.set(key, result.length);
      result.push(clone(entry));
    } else {
      result[position] = combine(result[position], entry);
    }
  }
  return result;
}

/** `x` or `[x, y]` (null: none) as a list; undefined for any other shape. */
function toList(value: unknown): unknown[] | undefined {
  if (isAbsent(value)) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' || typeof value === 'number') return [value];
  return undefined;
}

/** A sequence rule: both sides read with `read`, merged by `keyOf`. */
function uniqueList(
  keyOf: (entry: unknown) => string,
  read: (value: unknown) => unknown[] | undefined = toList,
  combine?: (earlier: unknown, later: unknown) => unknown,
): Rule {
  return (base, override) => {
    const baseList = read(base);
    const overrideList = read(override);
    if (baseList === undefined || overrideList === undefined) return keepBaseUnlessOverridden(base, override);
    return mergeUnique(baseList, overrideList, keyOf, combine);
  };
}

function mapOnly(value: unknown): Mapping | undefined {
  if (isAbsent(value)) return {};
  return isMapping(value) ? clone(value) : undefined;
}

function arrayOnly(value: unknown): unknown[] | undefined {
  if (isAbsent(value)) return [];
  return Array.isArray(value) ? value : undefined;
}

/** A mapping rule: both sides converted to map form with `read`, then merged entry by entry. */
function keyedMap(read: (value: unknown) => Mapping | undefined, mergeEntry: Rule = replaceEntry): Rule {
  return (base, override) => {
    const baseMap = read(base);
    const overrideMap = read(override);
    if (baseMap === undefined || overrideMap === undefined) return keepBaseUnlessOverridden(base, override);
    const result: Mapping = {};
    for (const key of new Set([...Object.keys(baseMap), ...Object.keys(overrideMap)])) {
      result[key] = key in overrideMap ? mergeEntry(baseMap[key], overrideMap[key]) : clone(baseMap[key]);
    }
    return result;
  };
}

/** In a flat key/value map the override's value wins, null included (`environment: [FOO]` passes FOO through). */
const replaceEntry: Rule = (_base, override) => clone(override);

// ---------------------------------------------------------------------------------------------------------
// List-or-map conversions

/** `["KEY=VAL", "KEY"]` or `{KEY: VAL}` as a map; a bare `KEY` maps to `bare`. */
function keyValueMap(bare: null | ''): (value: unknown) => Mapping | undefined {
  return (value) => {
    if (isAbsent(value)) return {};
    if (isMapping(value)) return clone(value);
    if (!Array.isArray(value)) return undefined;
    const result: Mapping = {};
    for (const entry of value) {
      if (typeof entry !== 'string') return undefined;
      const separator = entry.indexOf('=');
      if (separator < 0) result[entry] = bare;
      else result[entry.slice(0, separator)] = entry.slice(separator + 1);
    }
    return result;
  };
}

/** `["host:ip", "host=ip"]` or `{host: ip}` as `{host: ip}`; a host listed twice in one list keeps every
 * address, as `{host: [ip1, ip2]}` (the map form compose accepts for several addresses). */
function hostsMap(value: unknown): Mapping | undefined {
  if (isAbsent(value)) return {};
  if (isMapping(value)) return clone(value);
  if (!Array.isArray(value)) return undefined;
  const addresses = new Map<string, string[]>();
  for (const entry of value) {
    if (typeof entry !== 'string') return undefined;
    const equals = entry.indexOf('=');
    const separator = equals >= 0 ? equals : entry.indexOf(':');
    const host = separator < 0 ? entry : entry.slice(0, separator);
    const address = separator < 0 ? '' : entry.slice(separator + 1);
    const known = addresses.get(host);
    if (known === undefined) addresses.set(host, [address]);
    else if (!known.includes(address)) known.push(address);
  }
  const result: Mapping = {};
  for (const [host, list] of addresses) result[host] = list.length === 1 ? list[0] : list;
  return result;
}

/** `[a, b]` or `{a: ...}` as a map; a listed name maps to a copy of `listed`. */
function namedMap(listed: () => unknown): (value: unknown) => Mapping | undefined {
  return (value) => {
    if (isAbsent(value)) return {};
    if (isMapping(value)) return clone(value);
    if (!Array.isArray(value)) return undefined;
    const result: Mapping = {};
    for (const entry of value) {
      if (typeof entry !== 'string') return undefined;
      result[entry] = listed();
    }
    return result;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Unique keys of sequence entries

/** Container path of a volume: `src:target[:mode]` → target, `target` alone → itself, long syntax → `.target`. */
function volumeTarget(entry: unknown): string {
  if (typeof entry === 'string') {
    const fields = entry.split(':');
    return `target:${fields.length === 1 ? entry : (fields[1] ?? '')}`;
  }
  if (isMapping(entry) && typeof entry.target === 'string') return `target:${entry.target}`;
  return `entry:${stableKey(entry)}`;
}

/** Container path of a device: `host[:container[:permissions]]` or long syntax `.target`. */
function deviceTarget(entry: unknown): string {
  if (typeof entry === 'string') {
    const fields = entry.split(':');
    return `target:${fields[1] ?? fields[0] ?? ''}`;
  }
  if (isMapping(entry) && typeof entry.target === 'string') return `target:${entry.target}`;
  return `entry:${stableKey(entry)}`;
}

/** Where a secret or config lands in the container: the spec's unique key for both. Short syntax and a
 * long syntax without target land at `<directory>/<source>`; secrets' relative targets sit in /run/secrets. */
function fileReferenceTarget(directory: string, relativeTargetsInDirectory: boolean): (entry: unknown) => string {
  return (entry) => {
    if (typeof entry === 'string') return `target:${directory}/${entry}`;
    if (isMapping(entry)) {
      const { target, source } = entry;
      if (typeof target === 'string') {
        return `target:${relativeTargetsInDirectory && !target.startsWith('/') ? `${directory}/${target}` : target}`;
      }
      if (typeof source === 'string') return `target:${directory}/${source}`;
    }
    return `entry:${stableKey(entry)}`;
  };
}

/** Published port identity per the spec: {host ip, published, target, protocol}; short syntax as written. */
function portKey(entry: unknown): string {
  if (typeof entry === 'string' || typeof entry === 'number') return `short:${String(entry)}`;
  if (isMapping(entry) && entry.target !== undefined) {
    const text = (value: unknown, fallback: string) => (isAbsent(value) ? fallback : String(value));
    return `long:${text(entry.host_ip, '')}:${text(entry.published, '')}:${text(entry.target, '')}/${text(entry.protocol, 'tcp')}`;
  }
  return `entry:${stableKey(entry)}`;
}

/** `expose: [80, "80"]` name the same port. */
function exposeKey(entry: unknown): string {
  return typeof entry === 'string' || typeof entry === 'number' ? `port:${String(entry)}` : stableKey(entry);
}

/** env_file entries: a path, or `{path, required, format}`. */
function envFileKey(entry: unknown): string {
  if (typeof entry === 'string') return `path:${entry}`;
  if (isMapping(entry) && typeof entry.path === 'string') return `path:${entry.path}`;
  return stableKey(entry);
}

/** IPAM pools are identified by subnet; entries with the same subnet are merged. */
function subnetKey(entry: unknown): string {
  if (isMapping(entry) && typeof entry.subnet === 'string') return `subnet:${entry.subnet}`;
  return stableKey(entry);
}

// ---------------------------------------------------------------------------------------------------------
// Special rules

/** `build: ./dir` is `{context: ./dir}`. */
function buildMap(value: unknown): Mapping | undefined {
  if (isAbsent(value)) return {};
  if (typeof value === 'string') return { context: value };
  return isMapping(value) ? value : undefined;
}

const labels = keyedMap(keyValueMap(''));

const buildRules: Rules = {
  args: keyedMap(keyValueMap(null)),
  labels,
  extra_hosts: keyedMap(hostsMap),
  additional_contexts: keyedMap(keyValueMap('')),
};

const mergeBuild: Rule = (base, override) => {
  const baseMap = buildMap(base);
  const overrideMap = buildMap(override);
  if (baseMap === undefined || overrideMap === undefined) return keepBaseUnlessOverridden(base, override);
  return mergeWithRules(baseMap, overrideMap, buildRules);
};

const mergeLoggingSection = nested({ options: keyedMap(keyValueMap('')) });

/** Logging options only merge when both files name the same driver (or one names none); a different
 * driver replaces the whole logging section, since the old driver's options mean nothing to the new one. */
const mergeLogging: Rule = (base, override) => {
  if (isMapping(base) && isMapping(override)) {
    const baseDriver = base.driver;
    const overrideDriver = override.driver;
    if (!isAbsent(baseDriver) && !isAbsent(overrideDriver) && baseDriver !== overrideDriver) return clone(override);
  }
  return mergeLoggingSection(base, override);
};

const appendUnique = uniqueList(stableKey);

const serviceRules: Rules = {
  command: replace,
  entrypoint: replace,
  extends: keepBaseUnlessOverridden,
  healthcheck: nested({ test: replace }),
  build: mergeBuild,
  deploy: nested({ labels }),
  logging: mergeLogging,
  environment: keyedMap(keyValueMap(null)),
  labels,
  annotations: labels,
  sysctls: labels,
  extra_hosts: keyedMap(hostsMap),
  ulimits: keyedMap(mapOnly, mergeValues),
  depends_on: keyedMap(
    namedMap(() => ({ condition: 'service_started' })),
    mergeValues,
  ),
  networks: keyedMap(
    namedMap(() => null),
    mergeValues,
  ),
  models: keyedMap(
    namedMap(() => null),
    mergeValues,
  ),
  cap_add: appendUnique,
  cap_drop: appendUnique,
  dns: appendUnique,
  dns_search: appendUnique,
  dns_opt: appendUnique,
  security_opt: appendUnique,
  tmpfs: appendUnique,
  profiles: appendUnique,
  links: appendUnique,
  external_links: appendUnique,
  group_add: appendUnique,
  env_file: uniqueList(envFileKey),
  label_file: appendUnique,
  expose: uniqueList(exposeKey),
  devices: uniqueList(deviceTarget, arrayOnly),
  ports: uniqueList(portKey, arrayOnly),
  volumes: uniqueList(volumeTarget, arrayOnly),
  secrets: uniqueList(fileReferenceTarget('/run/secrets', true), arrayOnly),
  configs: uniqueList(fileReferenceTarget('', false), arrayOnly),
};

const mergeServiceEntry = nested(serviceRules);

const resourceRules: Rules = {
  labels,
  ipam: nested({
    config: uniqueList(subnetKey, arrayOnly, (earlier, later) => mergeValues(earlier, later)),
  }),
};

/** A top-level section (`services`, `networks`, ...): definitions merged per key with `mergeEntry`, which
 * also sees the keys only one file defines, for a uniform result. */
function sectionOf(mergeEntry: Rule): Rule {
  return (base, override) => {
    const baseMap = isAbsent(base) ? {} : base;
    const overrideMap = isAbsent(override) ? {} : override;
    if (!isMapping(baseMap) || !isMapping(overrideMap)) return keepBaseUnlessOverridden(base, override);
    const result: Mapping = {};
    for (const key of new Set([...Object.keys(baseMap), ...Object.keys(overrideMap)])) {
      result[key] = mergeEntry(baseMap[key], overrideMap[key]);
    }
    return result;
  };
}

const documentRules: Rules = {
  services: sectionOf(mergeServiceEntry),
  networks: sectionOf(nested(resourceRules)),
  volumes: sectionOf(nested(resourceRules)),
  secrets: sectionOf(nested(resourceRules)),
  configs: sectionOf(nested(resourceRules)),
};
