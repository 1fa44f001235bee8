import { z } from 'zod';
import { jsonSchemaHints } from './building-blocks.js';
import { projectSettingsSchema, serviceSettingsSchema } from './composelet-settings.js';

// The editor schemas, made from the zod schemas the loader validates with, so they cannot drift from
// them: `x-composelet` at project and service level as JSON Schema (draft-07, as the Compose spec), and
// the Compose spec with it in place, for yaml-language-server (`# yaml-language-server: $schema=...`).
// `npm run schemas` writes both into schemas/; a unit test fails when the committed ones are stale.

export const X_COMPOSELET_SCHEMA_FILE = 'schemas/x-composelet.v1.json';
export const COMBINED_SCHEMA_FILE = 'schemas/compose-spec.composelet.v1.json';

type JsonSchema = Record<string, unknown>;
type Hint = NonNullable<ReturnType<(typeof jsonSchemaHints)['get']>>;

/** The hint of a schema or of what it was cloned from (`.superRefine` and `.check` clone). */
function hintOf(schema: z.core.$ZodType): Hint | undefined {
  for (let current: z.core.$ZodType | undefined = schema; current; current = current._zod.parent) {
    const hint = jsonSchemaHints.get(current as z.ZodType);
    if (hint) return hint;
  }
  return undefined;
}

const OPTIONS: Parameters<typeof z.toJSONSchema>[1] = {
  target: 'draft-7',
  // What a compose file may hold is the input side of the transforms.
  io: 'input',
  unrepresentable: 'any',
  override(context) {
    const hint = hintOf(context.zodSchema);
    if (hint === undefined) return;
    const json = context.jsonSchema as JsonSchema;
    if ('jsonSchema' in hint) {
      // A branch zod cannot describe (a refined string): the words it accepts.
      for (const key of Object.keys(json)) delete json[key];
      Object.assign(json, structuredClone(hint.jsonSchema));
    } else if ('branches' in hint) {
      // byShape: z.unknown() parsed by the branch of the value's JSON type.
      const alternatives = Object.values(hint.branches).map((branch) => toJsonSchema(branch as z.ZodType));
      for (const key of Object.keys(json)) delete json[key];
      Object.assign(json, alternatives.length === 1 ? alternatives[0] : { anyOf: alternatives });
    } else {
      // composeObject: unknown keys are errors, `x-` keys are the user's own.
      json.additionalProperties = false;
      json.patternProperties = { '^x-': {} };
    }
  },
};

function toJsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, OPTIONS) as JsonSchema;
  return json;
}

/** schemas/x-composelet.v1.json: the project's settings at the root, the service's under definitions. */
export function xComposeletSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'x-composelet.v1.json',
    title: 'composelet settings (x-composelet)',
    description: 'composelet\'s settings in a compose file: `x-composelet` at the top level (definitions.project) and in a service (definitions.service). Generated from composelet\'s own schemas by `npm run schemas`.',
    allOf: [{ $ref: '#/definitions/project' }],
    definitions: { project: toJsonSchema(projectSettingsSchema), service: toJsonSchema(serviceSettingsSchema) },
  };
}

/** The Compose spec with `x-composelet` described at the top level and in every service. */
export function combinedSchema(composeSpec: object): JsonSchema {
  const combined = structuredClone(composeSpec) as JsonSchema & { properties: JsonSchema; definitions: Record<string, JsonSchema & { properties: JsonSchema }> };
  const settings = xComposeletSchema().definitions as { project: JsonSchema; service: JsonSchema };
  // The spec writes draft-07's URI as https://...schema; validators know it as http://...schema#.
  combined.$schema = 'http://json-schema.org/draft-07/schema#';
  combined.$id = 'compose-spec.composelet.v1.json';
  combined.title = 'Compose Specification with composelet settings (x-composelet)';
  combined.properties['x-composelet'] = { $ref: '#/definitions/x-composelet-project' };
  const service = combined.definitions.service;
  if (service === undefined) throw new Error('the Compose spec has no definitions.service');
  service.properties['x-composelet'] = { $ref: '#/definitions/x-composelet-service' };
  combined.definitions['x-composelet-project'] = settings.project as never;
  combined.definitions['x-composelet-service'] = settings.service as never;
  return combined;
}
