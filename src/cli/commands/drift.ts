import { DEFAULT_BACKUP_DESTINATION } from '../../backup/index.js';
import { defaultStateDir } from '../../state/state-dir.js';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createDriftReport, driftExitCode } from '../../drift/report/report.js';
import { renderDriftMarkdown } from '../../drift/report/render-markdown.js';
import type { DriftReport } from '../../drift/model.js';
import { UsageError } from '../../errors/kinds.js';
import { createRedactor } from '../../redaction/redact.js';
import { write, type Command } from '../command.js';
import { connectEngine } from '../engine-connection.js';
import { loadOrThrow, MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';
import { targetOf } from '../../swarm/target.js';

// `composelet drift PATH`: does the engine run what the manifests say? Compares desired and live per
// service and per field and reports what differs and why. Read-only.

const FORMATS = ['json', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

export const driftCommand: Command = {
  name: 'drift',
  summary: 'report where the engine differs from the manifests, per service and field',
  help: `Usage: composelet drift PATH [options]

Compares what runs on the engine with the manifests, after normalizing both sides (engine defaults,
what the image supplies, labels the engine adds), so a freshly converged stack shows no drift.
Reports per project and service: missing containers; stopped or unexpectedly exited ones (a completed
one-shot is fine); configuration drift as JSON Patch operations with a reason each; limits changed out
of band; networks disconnected; hand-made containers posing as a service; orphans; containers
composelet does not own on the project's networks; anonymous volumes composelet owns that no service
needs any more (dangling: kept until apply --prune). Secret values never appear: they are compared and
shown as markers. Nothing is changed. A project that targets Swarm is compared with the cluster's
service specs and tasks (tasks not running, per node: a drain moving them); see the README.

Options:
${MANIFEST_OPTIONS_HELP}
      --format FORMAT      markdown (default) or json (schemas/drift-report.v1.json)
      --output FILE        write the report to FILE and print a one-line verdict instead
  -h, --help               show this help

Exit status: 0 in sync, 2 drift, 1 error (invalid manifests, unreachable engine).
The engine is DOCKER_HOST or the default socket.`,
  options: {
    ...manifestOptions,
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  async run(input, io) {
    const format = parseFormat(input.values.format);
    const loaded = loadOrThrow(input, io);
    // Projects that target Swarm are compared with the cluster's services and tasks (src/swarm/cli/drift-swarm.ts).
    const swarmProjects = loaded.projects.filter((project) => targetOf(project) === 'swarm');
    const swarmModule = swarmProjects.length > 0 ? await import('../../swarm/cli/drift-swarm.js') : null;
    const swarm = swarmModule ? await swarmModule.swarmDriftReport(swarmProjects, io) : null;
    const emit = async (text: string, oneLine: string): Promise<void> => {
      const output = input.values.output as string | undefined;
      if (output === undefined) {
        io.stdout.write(text);
        return;
      }
      const path = resolve(io.cwd, output);
      await writeFile(path, text);
      write(io.stdout, `${oneLine}; report written to ${path}`);
    };
    if (swarm && swarmModule && swarmProjects.length === loaded.projects.length) {
      await emit(format === 'json' ? `${JSON.stringify(swarm, null, 2)}\n` : swarmModule.renderSwarmDriftMarkdown(swarm), `${swarm.inSync ? 'in sync' : 'drift'} (swarm)`);
      return swarm.inSync ? 0 : 2;
    }
    const state = { ...loaded, projects: loaded.projects.filter((project) => !swarmProjects.includes(project)) };
    const engine = await connectEngine(io);
    const report = await createDriftReport(engine, state, {
      manifestPath: input.positionals[0] ?? '.',
      cwd: io.cwd,
      redactor: createRedactor(io.env.COMPOSELET_REDACTION_KEY ? { key: io.env.COMPOSELET_REDACTION_KEY } : {}),
      backupDestination: io.env.COMPOSELET_BACKUP_DIR || DEFAULT_BACKUP_DESTINATION,
      stateDir: defaultStateDir(io.env),
    });
    // A manifest that mixes both: one document, the one-engine report with the Swarm projects' report in `swarm`.
    const combined: DriftReport = swarm ? { ...report, inSync: report.inSync && swarm.inSync, swarm } : report;
    const text =
      format === 'json'
        ? `${JSON.stringify(combined, null, 2)}\n`
        : `${renderDriftMarkdown(report)}${swarm && swarmModule ? `\n${swarmModule.renderSwarmDriftMarkdown(swarm)}` : ''}`;
    await emit(text, `${verdict(report)}${swarm ? `; swarm: ${swarm.inSync ? 'in sync' : 'drift'}` : ''}`);
    return swarm && !swarm.inSync ? Math.max(driftExitCode(report), 2) : driftExitCode(report);
  },
};

function parseFormat(value: unknown): Format {
  if (value === undefined) return 'markdown';
  if (typeof value === 'string' && (FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${String(value)}"`);
}

function verdict(report: DriftReport): string {
  const { summary } = report;
  if (report.inSync) return `in sync: ${summary.services} services in ${summary.projects} projects`;
  const notInSync = summary.services - summary.byStatus['in-sync'];
  return `drift: ${notInSync} of ${summary.services} services not in sync, ${summary.changes} changes in ${summary.projectsDrifted} of ${summary.projects} projects`;
}
