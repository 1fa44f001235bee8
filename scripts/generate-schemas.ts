// Writes the editor schemas (src/desired-state/schema/editor-schema.ts) into schemas/: `npm run schemas`.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMBINED_SCHEMA_FILE, combinedSchema, X_COMPOSELET_SCHEMA_FILE, xComposeletSchema } from '../src/desired-state/schema/editor-schema.js';

const repository = fileURLToPath(new URL('..', import.meta.url));
const composeSpec = JSON.parse(readFileSync(`${repository}schemas/compose-spec.json`, 'utf8')) as object;
for (const [file, schema] of [[X_COMPOSELET_SCHEMA_FILE, xComposeletSchema()], [COMBINED_SCHEMA_FILE, combinedSchema(composeSpec)]] as const) {
  writeFileSync(`${repository}${file}`, `${JSON.stringify(schema, null, 2)}\n`);
  process.stderr.write(`schemas: wrote ${file}\n`);
}
