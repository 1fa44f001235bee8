import type { EnginePort } from '../engine/engine-port.js';
import { computeDrift } from '../drift/index.js';
import { createRedactor } from '../redaction/redact.js';
import type { PlannedProject } from '../reconciler/converge.js';
import { write, type CliIo } from './command.js';

// Before a project is adopted, say what its compose-made containers run that differs from the manifests:
// the drift comparison of each one with its service (environment, ports, mounts, limits, ...), redacted.

export async function printAdoptionDifferences(engine: EnginePort, planned: PlannedProject, io: CliIo): Promise<void> {
  const adoptions = planned.plan.adoptions;
  if (adoptions.length === 0) return;
  const redactor = createRedactor(io.env.COMPOSELET_REDACTION_KEY ? { key: io.env.COMPOSELET_REDACTION_KEY } : {});
  const drift = await computeDrift(engine, planned.project, { redactor });
  const lines: string[] = [];
  for (const adoption of adoptions) {
    const names = new Set(adoption.containers.map((container) => container.name));
    const service = drift.services.find((candidate) => candidate.name === adoption.service);
    const differences = (service?.changes ?? []).filter(
      (change) => change.container !== null && names.has(change.container) && change.category !== 'not-adopted',
    );
    lines.push(
      differences.length === 0
        ? `  ${adoption.service}: matches the manifests`
        : `  ${adoption.service}: differs from the manifests (the replacement follows the manifests):\n${differences.map((change) => `    ${change.reason}`).join('\n')}`,
    );
  }
  write(io.stdout, `project ${planned.project.name}: adopting from docker compose\n${lines.join('\n')}`);
}
