import { describeFiles } from '../../actuators/container-files.js';
import type { LifecycleHook } from '../../desired-state/model.js';
import type { Adoption, Operation, Plan, PlanNote, PlanProblem } from './plan.js';

// The plan as stable text, one line per operation, for `plan` output, logs and the planner's tests:
//
//   [3] create-container container:demo-api-1 (not found) after [0,1]
//   [6] stop-container container:demo-db-1 id=0123456789ab timeout=10s (spec changed) after [5]
//   ! network:shared: external network "shared" not found: ...
//   - container:demo-old-1: orphan (service removed from the manifests): kept; apply with --prune to remove
//
// `[id] <kind> <resourceId> <details> (<cause>)`, then ` after [ids]` when it depends on something.
// Details are `key=value` words, only where the resource id does not say it all: hooks as their count
// (`post_start=1`, `pre_stop=2`), files copied into a new container as `file=<target>@sha256:<12 hex>`
// (never their content). A plan with no operations starts with `no changes`.
//
//   [4] create-container container:demo-api-1 file=/run/secrets/token@sha256:9f86d081884c (not found)
//   [5] start-container container:demo-api-1 post_start=1 (new container) after [4]

export function renderPlan(plan: Plan): string {
  const lines = plan.operations.length === 0 ? ['no changes'] : plan.operations.map(renderOperation);
  lines.push(...plan.adoptions.map(renderAdoption), ...plan.problems.map(renderProblem), ...plan.notes.map(renderNote));
  return lines.join('\n');
}

export function renderOperation(operation: Operation): string {
  const words = [`[${operation.id}]`, operation.kind, operation.resourceId, ...details(operation), `(${operation.cause})`];
  const after = operation.dependsOn.length > 0 ? ` after [${operation.dependsOn.join(',')}]` : '';
  const fallback = operation.onFailureOf ? ` if [${operation.onFailureOf.join(',')}] fail` : '';
  return words.join(' ') + after + fallback;
}

/** `~ adopt service:api from docker compose: platform_api_1 (v1 name, running) by [4-11]` */
export function renderAdoption(adoption: Adoption): string {
  const containers = adoption.containers.map((container) => `${container.name} (${namingWords[container.naming]}, ${container.state})`);
  const first = Math.min(...adoption.operations);
  const last = Math.max(...adoption.operations);
  const span = adoption.operations.length === 0 ? '' : ` by [${first === last ? first : `${first}-${last}`}]`;
  return `~ adopt service:${adoption.service} from docker compose: ${containers.join(', ')}${span}`;
}

const namingWords: Record<Adoption['containers'][number]['naming'], string> = {
  v1: 'v1 name',
  v2: 'v2 name',
  container_name: 'container_name',
  other: 'renamed',
};

export function renderProblem(problem: PlanProblem): string {
  return `! ${problem.resourceId}: ${problem.message}`;
}

export function renderNote(note: PlanNote): string {
  return `- ${note.resourceId}: ${note.message}`;
}

function details(operation: Operation): string[] {
  switch (operation.kind) {
    case 'build-image':
    case 'pull-image':
    case 'create-network':
    case 'create-volume':
    case 'remove-network':
    case 'remove-volume':
      return [];
    case 'create-container':
      return [
        ...(sameName(operation.resourceId, operation.name) ? [] : [`name=${operation.name}`]),
        ...(operation.inheritAnonymousVolumesFrom === null ? [] : [`inherit-volumes=${short(operation.inheritAnonymousVolumesFrom)}`]),
        ...operation.files.map((file) => `file=${file.target}@sha256:${short(file.sha256)}`),
      ];
    case 'start-container':
      return [...reference(operation.resourceId, operation.container), ...hookCount('post_start', operation.postStart)];
    case 'update-container':
      return reference(operation.resourceId, operation.container);
    case 'stop-container':
      return [
        ...reference(operation.resourceId, operation.container),
        ...(operation.signal === null ? [] : [`signal=${operation.signal}`]),
        `timeout=${operation.timeoutSeconds}s`,
        ...hookCount('pre_stop', operation.preStop),
      ];
    case 'remove-container':
      return [
        ...reference(operation.resourceId, operation.container),
        ...(operation.removeAnonymousVolumes ? ['anonymous-volumes'] : []),
        ...(operation.force === true ? ['force'] : []),
      ];
    case 'rename-container':
      return [`from=${operation.container}`, ...(sameName(operation.resourceId, operation.newName) ? [] : [`to=${operation.newName}`])];
    case 'connect-network':
      return [
        ...reference(operation.resourceId, operation.container),
        `network=${operation.network}`,
        ...(operation.ipv4Address === null ? [] : [`ipv4=${operation.ipv4Address}`]),
        ...(operation.ipv6Address === null ? [] : [`ipv6=${operation.ipv6Address}`]),
      ];
    case 'wait':
      return [
        ...reference(operation.resourceId, operation.container),
        `condition=${operation.condition}`,
        ...(operation.monitorSeconds === undefined ? [] : [`monitor=${operation.monitorSeconds}s`]),
        ...(operation.timeoutSeconds === null ? [] : [`timeout=${operation.timeoutSeconds}s`]),
      ];
    case 'rollout-gate':
      return [
        `watch=[${operation.watched.join(',')}]`,
        `tolerate=${operation.maxFailures}/${operation.replicas}`,
        ...(operation.delaySeconds > 0 ? [`delay=${operation.delaySeconds}s`] : []),
      ];
  }
}

/** The container acted on, when the resource id does not name it: `id=` for an engine id, else `name=`. */
function reference(resourceId: string, container: string): string[] {
  if (sameName(resourceId, container)) return [];
  return /^[0-9a-f]{64}$/.test(container) ? [`id=${short(container)}`] : [`name=${container}`];
}

function hookCount(kind: 'post_start' | 'pre_stop', hooks: readonly LifecycleHook[]): string[] {
  return hooks.length === 0 ? [] : [`${kind}=${hooks.length}`];
}

function sameName(resourceId: string, name: string): boolean {
  return resourceId === `container:${name}`;
}

function short(id: string): string {
  return id.slice(0, 12);
}

/**
 * The plan as plain JSON-safe data (container create bodies included), for `--output json` and audit logs.
 * Files copied into containers show their sha256, never their content; hook environment values of
 * secret-looking keys are redacted.
 */
export interface PlanJson {
  projectName: string;
  operations: Array<Record<string, unknown>>;
  problems: PlanProblem[];
  notes: PlanNote[];
  adoptions: Adoption[];
}

/** The plan as JSON-safe data. Copied files appear by target and sha256, never with their content; secret
 * fields are redacted by src/redaction/redact-plan.ts before anything is printed. */
export function planToJson(plan: Plan): PlanJson {
  const printable = {
    ...plan,
    operations: plan.operations.map((operation) => (operation.kind === 'create-container' ? { ...operation, files: describeFiles(operation.files) } : operation)),
  };
  return JSON.parse(JSON.stringify(printable)) as PlanJson;
}
