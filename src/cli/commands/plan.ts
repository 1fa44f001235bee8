import { planProject } from '../../reconciler/converge.js';
import { renderPlan } from '../../reconciler/plan/render-plan.js';
import { redactPlan } from '../../redaction/redact-plan.js';
import { createRedactor } from '../../redaction/redact.js';
import { write, type Command } from '../command.js';
import { adoptsItself } from '../../desired-state/normalize/adoption-setting.js';
import { connectEngine } from '../engine-connection.js';
import { loadOrThrow, MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';
import { policyFindings, printPolicy } from '../policy-report.js';
import { defaultStateDir } from '../../state/state-dir.js';

// `composelet plan PATH`: what apply would do, one line per engine call, without doing it.

export const planCommand: Command = {
  name: 'plan',
  summary: 'show what apply would change on the engine, without changing it',
  help: `Usage: composelet plan PATH [options]

Observes the engine, compares it with the manifests and prints the plan: one line per engine call,
[id] KIND RESOURCE (CAUSE), with the operations each one waits for. Problems (an image that cannot be
had, a missing external network) start with "!", notes (orphans kept, completed one-shots) with "-".
Policy findings follow; a policy error means apply would refuse (exit 1). Nothing is changed.

Options:
${MANIFEST_OPTIONS_HELP}
      --prune              plan the removal of orphans (containers of services no longer in the manifests)
      --adopt              plan the take-over of containers docker compose made (see 'composelet adopt --help')
      --json               print the plan as data
      --detailed-exitcode  exit 0 when there is nothing to do, 2 when there are changes, 1 on error
  -h, --help               show this help

The engine is DOCKER_HOST or the default socket.`,
  options: {
    ...manifestOptions,
    prune: { type: 'boolean' },
    json: { type: 'boolean' },
    'detailed-exitcode': { type: 'boolean' },
    adopt: { type: 'boolean' },
  },
  async run(input, io) {
    const state = loadOrThrow(input, io);
    const findings = policyFindings(state);
    const engine = await connectEngine(io);
    const plans = [];
    for (const project of state.projects) {
      plans.push(
        await planProject(engine, project, {
          prune: Boolean(input.values.prune),
          adopt: Boolean(input.values.adopt) || adoptsItself(project),
          volumeRecord: { stateDir: defaultStateDir(io.env), write: false },
        }),
      );
    }
    if (input.values.json) {
      const redactor = createRedactor(io.env.COMPOSELET_REDACTION_KEY ? { key: io.env.COMPOSELET_REDACTION_KEY } : {});
      const projects = plans.map((planned) => redactPlan(planned.plan, planned.project, redactor));
      write(io.stdout, JSON.stringify({ projects }, null, 2));
    } else {
      for (const planned of plans) write(io.stdout, `project ${planned.project.name}:\n${indent(renderPlan(planned.plan))}`);
    }
    const blocked = printPolicy(findings, io, input.values.json ? 'stderr' : 'stdout');
    const problems = blocked || plans.some((planned) => planned.plan.problems.length > 0);
    const changes = plans.some((planned) => planned.plan.operations.length > 0);
    if (problems) return 1;
    return input.values['detailed-exitcode'] && changes ? 2 : 0;
  },
};

export function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
