// What the logger never prints. pino redacts by path, before serializing, so a container spec or an
// engine inspect logged as a field cannot leak environment values or credentials. Paths reach four
// levels deep (`{ spec: { Config: { Env } } }`, `{ project: { services: { api: { environment } } } }`);
// anything deeper, and secrets inside message strings, are not seen: log names and ids, not whole
// documents, and use src/redaction for text.

export const REDACTED = '<redacted>';

/** Fields whose whole value is secret. */
const SECRET_KEYS = ['password', 'token', 'secret', 'authconfig', 'authorization'];
/** `KEY=value` lists (Compose `environment` as a list, the engine's `Config.Env`): keys stay, values go. */
const ENVIRONMENT_LIST_KEYS = ['env', 'Env'];
/** `{ KEY: value }` maps: keys stay, values go. */
const ENVIRONMENT_MAP_KEYS = ['environment'];
const MAX_DEPTH = 3;

function atEveryDepth(path: string): string[] {
  return Array.from({ length: MAX_DEPTH + 1 }, (_unused, depth) => [...Array<string>(depth).fill('*'), path].join('.'));
}

export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap(atEveryDepth),
  ...ENVIRONMENT_LIST_KEYS.flatMap(atEveryDepth),
  ...ENVIRONMENT_MAP_KEYS.flatMap((key) => atEveryDepth(`${key}.*`)),
];

/** Keeps the names in `KEY=value` lists so a redacted log still says which variables were set. */
export function censorLogValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((entry) => (typeof entry === 'string' && entry.includes('=') ? `${entry.slice(0, entry.indexOf('='))}=${REDACTED}` : REDACTED));
  }
  return REDACTED;
}
