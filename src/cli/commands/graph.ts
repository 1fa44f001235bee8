import type { Project } from '../../desired-state/model.js';
import type { EnginePort } from '../../engine/engine-port.js';
import { isEngineError } from '../../engine/engine-errors.js';
import { UsageError } from '../../errors/kinds.js';
import { liveStates, type ServiceLiveState } from '../../graph/live-states.js';
import { projectGraph } from '../../graph/project-graph.js';
import { renderDot } from '../../graph/render-dot.js';
import { renderMermaid } from '../../graph/render-mermaid.js';
import { observe } from '../../reconciler/observe/observe.js';
import { createRedactor } from '../../redaction/redact.js';
import { write, type Command } from '../command.js';
import { connectEngine } from '../engine-connection.js';
import { loadOrThrow, MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';

// `composelet graph PATH --format mermaid|dot`: the dependency graph, each service coloured by its live
// state. An unreachable engine is not an error: the graph is drawn without colours and says why.

const FORMATS = ['mermaid', 'dot'] as const;
type GraphFormat = (typeof FORMATS)[number];

export const graphCommand: Command = {
  name: 'graph',
  summary: 'draw the dependency graph (Mermaid or DOT), services coloured by their live state',
  help: `Usage: composelet graph PATH [options]

Prints the services' dependency graph: an arrow from each service to what it waits for, labelled with
the condition (started, healthy, completed); thick (Mermaid) or bold (DOT) when the service restarts with
its dependency (restart: true), dotted or dashed when the dependency is optional (required: false).
Each service is coloured by its live state on the engine: green running and healthy, light green
running without a healthcheck, yellow starting, orange unhealthy, red exited or missing, grey a
completed one-shot. When the engine cannot be reached the graph is drawn without colours, with a
comment saying so, and the exit code is still 0.

Options:
${MANIFEST_OPTIONS_HELP}
      --format FORMAT      mermaid (default) or dot
  -h, --help               show this help

The engine is DOCKER_HOST or the default socket.`,
  options: { ...manifestOptions, format: { type: 'string' } },
  async run(input, io) {
    const format = parseFormat(input.values.format);
    const state = loadOrThrow(input, io);
    const live = await readLiveStates(state.projects, () => connectEngine(io));
    const graphs = state.projects.map((project) => projectGraph(project, live.states?.[project.name] ?? null));
    const notes = live.problem === null ? [] : [`services drawn without their live state: ${live.problem}`];
    write(io.stdout, format === 'dot' ? renderDot(graphs, { notes }) : renderMermaid(graphs, { notes }));
    return 0;
  },
};

function parseFormat(value: unknown): GraphFormat {
  if (value === undefined) return 'mermaid';
  if (typeof value === 'string' && (FORMATS as readonly string[]).includes(value)) return value as GraphFormat;
  throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
}

export interface LiveStatesResult {
  /** Project name -> service -> live state; null when the engine could not be read. */
  states: Record<string, Record<string, ServiceLiveState>> | null;
  /** Why there are no states, in one line (credentials in the engine's address are redacted). */
  problem: string | null;
}

/** One observe per project (one list call per kind). Engine errors become `problem`; others propagate. */
export async function readLiveStates(projects: readonly Project[], connect: () => Promise<EnginePort>): Promise<LiveStatesResult> {
  try {
    const engine = await connect();
    const states: Record<string, Record<string, ServiceLiveState>> = {};
    for (const project of projects) states[project.name] = liveStates(project, await observe(engine, project));
    return { states, problem: null };
  } catch (error) {
    if (!isEngineError(error)) throw error;
    return { states: null, problem: createRedactor().text(error.message) };
  }
}
