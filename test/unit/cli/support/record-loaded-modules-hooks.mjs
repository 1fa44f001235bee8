// The load hook of record-loaded-modules.mjs: appends each loaded module's URL to the output file.
import { appendFileSync } from 'node:fs';

let output = '';

export function initialize(data) {
  output = data.output;
}

export async function load(url, context, nextLoad) {
  if (output) appendFileSync(output, `${url}\n`);
  return nextLoad(url, context);
}
