import type { ContainerCreateSpec } from '../actuators/container-spec.js';
import type { LifecycleHook, Project } from '../desired-state/model.js';
import type { Operation, Plan } from '../reconciler/plan/plan.js';
import { planToJson, type PlanJson } from '../reconciler/plan/render-plan.js';
import { isSecretLookingKey, type Redactor } from './redact.js';
import { KEY_ONLY, redactKeyValueList, redactMap, redactWords, serviceSecrets, type ServiceSecrets } from './secret-fields.js';

// A plan safe to print, redacted operation by operation before it is serialized: a create-container's
// engine spec (Env by key, Labels, Cmd, Entrypoint, Healthcheck.Test, log options), a build's args, a
// network's or volume's labels and driver options, a start's and a stop's hook environments. Which keys are secret comes from the operation's
// service in the model (secret-looking keys, env_file and `.env` provenance); everything else is kept.

const NO_WORDS: ReadonlySet<number> = new Set();

export function redactContainerSpec(spec: ContainerCreateSpec, secrets: ServiceSecrets, redactor: Redactor): ContainerCreateSpec {
  const redacted: ContainerCreateSpec = {
    ...spec,
    Env: redactKeyValueList(spec.Env, secrets.environment, redactor),
    Labels: redactMap(spec.Labels, secrets.label, redactor),
  };
  if (spec.Cmd) redacted.Cmd = redactWords(spec.Cmd, secrets.commandWords, redactor);
  if (spec.Entrypoint) redacted.Entrypoint = redactWords(spec.Entrypoint, secrets.entrypointWords, redactor);
  if (spec.Healthcheck?.Test) redacted.Healthcheck = { ...spec.Healthcheck, Test: redactWords(spec.Healthcheck.Test, NO_WORDS, redactor) };
  const logConfig = spec.HostConfig['LogConfig'] as { Type: string; Config: Record<string, string> } | undefined;
  if (logConfig) redacted.HostConfig = { ...spec.HostConfig, LogConfig: { ...logConfig, Config: redactMap(logConfig.Config, isSecretLookingKey, redactor) } };
  return redacted;
}

export function redactOperation(operation: Operation, project: Project, redactor: Redactor): Operation {
  const service = operation.service === null ? undefined : project.services[operation.service];
  const secrets = service ? serviceSecrets(service) : KEY_ONLY;
  switch (operation.kind) {
    case 'create-container':
      return { ...operation, spec: redactContainerSpec(operation.spec, secrets, redactor) };
    case 'build-image':
      return { ...operation, build: { ...operation.build, args: redactMap(operation.build.args, secrets.buildArg, redactor) } };
    case 'create-network':
      return {
        ...operation,
        network: { ...operation.network, labels: redactMap(operation.network.labels, isSecretLookingKey, redactor), driverOpts: redactMap(operation.network.driverOpts, isSecretLookingKey, redactor) },
      };
    case 'create-volume':
      return {
        ...operation,
        volume: { ...operation.volume, labels: redactMap(operation.volume.labels, isSecretLookingKey, redactor), driverOpts: redactMap(operation.volume.driverOpts, isSecretLookingKey, redactor) },
      };
    case 'start-container':
      return { ...operation, postStart: operation.postStart.map((hook) => redactHook(hook, secrets, redactor)) };
    case 'stop-container':
      return { ...operation, preStop: operation.preStop.map((hook) => redactHook(hook, secrets, redactor)) };
    default:
      return operation;
  }
}

/** A hook's environment, secret by key or by provenance (hook keys from env_file or `.env`). */
function redactHook(hook: LifecycleHook, secrets: ServiceSecrets, redactor: Redactor): LifecycleHook {
  return { ...hook, environment: redactMap(hook.environment, secrets.hookEnvironment, redactor) };
}

/** The plan as data with every operation redacted by field (no text is searched). */
export function redactPlan(plan: Plan, project: Project, redactor: Redactor): PlanJson {
  return planToJson({ ...plan, operations: plan.operations.map((operation) => redactOperation(operation, project, redactor)) });
}
