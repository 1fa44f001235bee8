import { z } from 'zod';

// Building blocks for the compose file schema. Compose allows the same setting in several shapes
// (a string or a list, a list or a map), so instead of zod unions, whose failures read poorly, `byShape`
// picks the branch from the value's JSON type and reports that branch's problems, or one plain sentence
// naming the shapes it accepts.

export type JsonShape = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

export function shapeOf(value: unknown): JsonShape | 'other' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return 'other';
  }
}

const SHAPE_WORDS: Record<JsonShape | 'other', string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
  array: 'a list',
  object: 'a map',
  other: 'a value of another kind',
};

export function describeShape(value: unknown): string {
  return SHAPE_WORDS[shapeOf(value)];
}

type Branches = Partial<Record<JsonShape, z.ZodType>>;
type OutputOf<B extends Branches> = { [K in keyof B]: B[K] extends z.ZodType<infer O> ? O : never }[keyof B];

/**
 * What z.toJSONSchema cannot see, for the editor schema (editor-schema.ts): the branches of each byShape
 * schema (a transform of z.unknown()) and which objects are composeObjects (unknown keys rejected).
 */
export const jsonSchemaHints = new WeakMap<z.ZodType, { branches: Branches } | { composeObject: true } | { jsonSchema: Record<string, unknown> }>();

/** One schema per JSON shape; `expected` names them in words ("a string or a list of strings"). */
export function byShape<B extends Branches>(branches: B, expected: string): z.ZodType<OutputOf<B>> {
  const schema = z.unknown().transform((value, context) => {
    const shape = shapeOf(value);
    const branch = shape === 'other' ? undefined : branches[shape];
    if (!branch) {
      context.addIssue({ code: 'custom', message: `expected ${expected}, got ${describeShape(value)}` });
      return z.NEVER;
    }
    const result = branch.safeParse(value, { reportInput: true });
    if (result.success) return result.data as OutputOf<B>;
    for (const issue of result.error.issues) {
      context.addIssue({ code: 'custom', message: issueMessage(issue), path: issue.path as PropertyKey[] });
    }
    return z.NEVER;
  });
  jsonSchemaHints.set(schema, { branches });
  return schema as unknown as z.ZodType<OutputOf<B>>;
}

/** Longest value quoted back in an enum error; longer ones are cut. */
const MAX_QUOTED_VALUE_LENGTH = 40;

/**
 * A plain-words message for a zod issue. The offending value is quoted only where the field takes one of a
 * few fixed words (an enum): anything else may be a secret and is described by its shape only.
 */
export function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${typeWords(issue.expected)}, got ${describeShape(issue.input)}`;
    case 'invalid_value':
      return `${gotWords(issue.input)}; expected one of ${issue.values.map((value) => String(value)).join(', ')}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_format':
      // A pattern given with its own sentence keeps it; zod's default words say nothing useful.
      return issue.message && !issue.message.startsWith('Invalid') ? issue.message : `has an invalid format (expected ${issue.format})`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    default:
      return issue.message;
  }
}

function gotWords(input: unknown): string {
  if (typeof input === 'string') {
    const shown = input.length > MAX_QUOTED_VALUE_LENGTH ? `${input.slice(0, MAX_QUOTED_VALUE_LENGTH)}…` : input;
    return `got ${JSON.stringify(shown)}`;
  }
  if (typeof input === 'number' || typeof input === 'boolean') return `got ${String(input)}`;
  return `got ${describeShape(input)}`;
}

function typeWords(expected: string): string {
  switch (expected) {
    case 'array':
      return 'a list';
    case 'object':
    case 'record':
      return 'a map';
    case 'int':
      return 'an integer';
    default:
      return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
  }
}

/** Refines a string-or-number with one of the syntax parsers (durations, sizes, ports...). */
export function parsedWith<T>(
  parse: (input: string | number) => { ok: true; value: T } | { ok: false; error: string },
  expected: string,
): z.ZodType<string | number> {
  return byShape({ string: z.string(), number: z.number() }, expected).superRefine((value, context) => {
    const result = parse(value as string | number);
    if (!result.ok) context.addIssue({ code: 'custom', message: result.error });
  }) as z.ZodType<string | number>;
}

const BOOLEAN_WORDS = ['true', 'false', 'yes', 'no', 'True', 'False'];

/** Compose accepts booleans written as strings ("true", "false"). */
export const booleanLike = byShape(
  {
    boolean: z.boolean(),
    string: z.string().refine((value) => BOOLEAN_WORDS.includes(value), { message: 'expected true or false' }),
  },
  'true or false',
);
jsonSchemaHints.set(booleanLike, { jsonSchema: { anyOf: [{ type: 'boolean' }, { type: 'string', enum: BOOLEAN_WORDS }] } });

export function toBoolean(value: boolean | string | null | undefined): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  return value === 'true' || value === 'True' || value === 'yes';
}

export const integerLike = byShape(
  { number: z.number().int(), string: z.string().regex(/^-?\d+$/, 'expected an integer') },
  'an integer',
);

export function toInteger(value: number | string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'number' ? value : Number.parseInt(value, 10);
}

export const stringList = z.array(z.string());
export const stringOrList = byShape({ string: z.string(), array: stringList }, 'a string or a list of strings');

/** `KEY: value` map (scalars or null) or a list of "KEY=VALUE" strings. */
export const listOrDict = byShape(
  {
    object: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()], {
      error: (issue) => `expected a string, number, boolean or null, got ${describeShape(issue.input)}`,
    })),
    array: stringList,
  },
  'a map or a list of "KEY=VALUE" strings',
);

export function listOrDictToMap(
  value: Record<string, string | number | boolean | null> | string[] | undefined,
  separator = '=',
): Record<string, string | null> {
  const result: Record<string, string | null> = {};
  if (value === undefined) return result;
  if (Array.isArray(value)) {
    for (const entry of value) {
      const index = entry.indexOf(separator);
      if (index < 0) result[entry] = null;
      else result[entry.slice(0, index)] = entry.slice(index + 1);
    }
    return result;
  }
  for (const [key, entry] of Object.entries(value)) {
    result[key] = entry === null ? null : String(entry);
  }
  return result;
}

export interface KeyPolicy {
  /** Keys the Compose spec allows here that composelet does not implement yet: rejected by name. */
  unsupported?: readonly string[];
  /** Why they are not supported, when there is more to say than "not supported yet". */
  reason?: string;
  /** Keys composelet rejects, each with the reason it gives (a key here needs no entry in `unsupported`). */
  rejected?: Readonly<Record<string, string>>;
}

/** Every key the policy rejects, with its reason (null: only "not supported yet"). */
export function rejectedKeys(policy: KeyPolicy): Record<string, string | null> {
  const keys: Record<string, string | null> = {};
  for (const key of policy.unsupported ?? []) keys[key] = policy.reason ?? null;
  for (const [key, reason] of Object.entries(policy.rejected ?? {})) keys[key] = reason;
  return keys;
}

/**
 * A map with a known set of keys. `x-` extension keys are allowed and ignored (Compose's rule); keys the
 * spec allows but composelet does not implement get an error naming them; anything else is unknown, with a
 * suggestion when it looks like a typo.
 */
type ShapeOutput<Shape extends z.ZodRawShape> = { [Key in keyof Shape]: z.output<Shape[Key]> };

export function composeObject<Shape extends z.ZodRawShape, Required extends keyof Shape & string = never>(
  shape: Shape,
  policy: KeyPolicy = {},
  required: readonly Required[] = [],
): z.ZodType<Partial<ShapeOutput<Shape>> & { [Key in Required]: z.output<Shape[Key]> }> {
  const known = Object.keys(shape);
  const rejected = rejectedKeys(policy);
  // Each key optional but the required ones, wrapped here: `.partial()` would build the object twice
  // (a third of this function's cost, paid for every object of the schema when a command starts).
  const optionalShape = Object.fromEntries(
    known.map((key) => [key, (required as readonly string[]).includes(key) ? shape[key]! : z.optional(shape[key]!)]),
  );
  const object = z.looseObject(optionalShape);
  const schema = object.superRefine((value, context) => {
    for (const key of Object.keys(value as object)) {
      if (key in shape || key.startsWith('x-')) continue;
      if (key in rejected) {
        const reason = rejected[key];
        context.addIssue({
          code: 'custom',
          path: [key],
          message:
            policy.rejected && key in policy.rejected
              ? `"${key}" is not supported by composelet: ${reason}`
              : `"${key}" is not supported yet by composelet${reason ? ` (${reason})` : ''}`,
        });
        continue;
      }
      const suggestion = closest(key, [...known]);
      context.addIssue({
        code: 'custom',
        path: [key],
        message: `unknown key "${key}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
      });
    }
    // Report unknown keys even when known keys have problems too: every error of the file at once.
  }, { when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value) });
  jsonSchemaHints.set(schema, { composeObject: true });
  return schema as never;
}

/** Keys registered per context, for the test that checks the schema against the Compose spec. */
export function keysOf(
  shape: z.ZodRawShape,
  policy: KeyPolicy,
): { supported: string[]; unsupported: string[]; reasons: Record<string, string | null> } {
  const reasons = rejectedKeys(policy);
  return { supported: Object.keys(shape).sort(), unsupported: Object.keys(reasons).sort(), reasons };
}

export function closest(word: string, candidates: string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const substitution = previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length]!;
}
