import type { CliStartSamples, PairedSamples } from './measure-cli.js';
import type { ExampleCliSamples, NoopApplySamples } from './measure-cli-stacks.js';
import type { Phase } from './measure-converge.js';
import { failed, measured, type Figure, type Row, type RowId } from './report-model.js';

// The command-line rows: each command beside docker-compose's nearest one, p50 (the median) of wall
// times with process start included, and the target in the measure's name.

export interface CliResults {
  start: CliStartSamples;
  example: ExampleCliSamples | null;
  noopApply: NoopApplySamples[];
}

export const CLI_TARGETS = {
  help: '≤ 120 ms',
  version: '≤ 120 ms',
  validate: '≤ 200 ms',
  plan: '≤ 300 ms',
  noopApply: '≥ 10× faster',
} as const;

export function cliRows(results: CliResults): Row[] {
  const pair = (id: RowId, stack: string, measure: string, samples: PairedSamples): Row => ({
    id,
    stack,
    measure,
    composelet: milliseconds(samples.composelet),
    dockerCompose: milliseconds(samples.dockerCompose),
  });
  const { start, example } = results;
  const rows = [
    pair('cli-floor', '–', 'process start floor (`node -e 0` / `python3 -c pass`)', start.floor),
    pair('cli-help', '–', `CLI start: \`--help\` (target ${CLI_TARGETS.help})`, start.help),
    pair('cli-version', '–', `CLI start: \`--version\` / \`version\` (target ${CLI_TARGETS.version})`, start.version),
  ];
  if (example) {
    rows.push(pair('cli-validate', 'example', `\`validate\` / \`config\` (target ${CLI_TARGETS.validate})`, example.validate));
    rows.push(pair('cli-plan', 'example', `no-op \`plan\` / \`config\` (target ${CLI_TARGETS.plan})`, example.plan));
  }
  for (const noop of results.noopApply) {
    rows.push(pair('cli-noop-apply', noop.stack, `CLI no-op \`apply\` / \`up -d\`, converged (target ${CLI_TARGETS.noopApply})`, noop));
  }
  return rows;
}

function milliseconds(samples: Phase<number[]>): Figure {
  return samples.ok ? measured('ms', samples.value) : failed(samples.error);
}
