import { shortCommit } from './git-status.js';

// A project-level suspension holds git deploys for its project (pure): the commit in force elsewhere is
// "held" for a suspended project while what runs there is not what that commit asks for (a service whose
// containers lack the desired spec hash, a new service not created, a removed one still running). Status
// and drift say so: "commit def4567 not applied: suspended by ops@host until resumed: release freeze".

export interface HeldDeployInputs {
  /** The commit in force (null: none yet). */
  commit: string | null;
  /** The project-level suspension's description (null: the project is not suspended as a whole). */
  projectSuspension: string | null;
  /** service -> the desired spec hash, from the commit in force. */
  desired: Readonly<Record<string, string>>;
  /** The project's own containers as observed. */
  running: ReadonlyArray<{ service: string | null; specHash: string | null }>;
}

export function heldDeploy(inputs: HeldDeployInputs): string | null {
  if (inputs.commit === null || inputs.projectSuspension === null) return null;
  const runningServices = new Set(inputs.running.map((container) => container.service).filter((service): service is string => service !== null));
  const applied = (service: string, hash: string) => inputs.running.some((container) => container.service === service && container.specHash === hash);
  const missing = Object.entries(inputs.desired).some(([service, hash]) => !applied(service, hash));
  const removed = [...runningServices].some((service) => inputs.desired[service] === undefined);
  return missing || removed ? `commit ${shortCommit(inputs.commit)} not applied: ${inputs.projectSuspension}` : null;
}
