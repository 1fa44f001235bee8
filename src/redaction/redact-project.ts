import type { FileObject, LifecycleHook, Project, Service } from '../desired-state/model.js';
import type { Redactor } from './redact.js';
import { isSecretLookingKey } from './redact.js';
import { redactMap, redactWords, serviceSecrets } from './secret-fields.js';

// A project safe to print, redacted where each secret sits: environment values, build args, labels and
// hook environments that are secret (secret-fields.ts), command words holding a `.env` value, the
// contents of secrets and configs, and credentials inside URLs in any of those values. Every other field
// (names, images, paths, ports, numbers, booleans, the spec hash) is returned as it was.

const NO_WORDS: ReadonlySet<number> = new Set();

export function redactService(service: Service, redactor: Redactor): Service {
  const secrets = serviceSecrets(service);
  const redactHook = (hook: LifecycleHook): LifecycleHook => ({
    ...hook,
    command: redactWords(hook.command, NO_WORDS, redactor),
    environment: redactMap(hook.environment, secrets.hookEnvironment, redactor),
  });
  return {
    ...service,
    environment: redactMap(service.environment, secrets.environment, redactor),
    build: service.build ? { ...service.build, args: redactMap(service.build.args, secrets.buildArg, redactor) } : null,
    command: service.command === null ? null : redactWords(service.command, secrets.commandWords, redactor),
    entrypoint: service.entrypoint === null ? null : redactWords(service.entrypoint, secrets.entrypointWords, redactor),
    healthcheck: service.healthcheck === null ? null : { ...service.healthcheck, test: redactWords(service.healthcheck.test, NO_WORDS, redactor) },
    labels: redactMap(service.labels, secrets.label, redactor),
    logging: service.logging === null ? null : { ...service.logging, options: redactMap(service.logging.options, isSecretLookingKey, redactor) },
    postStart: service.postStart.map(redactHook),
    preStop: service.preStop.map(redactHook),
  };
}

/** Secret and config contents are always secret, whatever their source. */
export function redactFileObject(object: FileObject, redactor: Redactor): FileObject {
  return {
    ...object,
    content: object.content === null ? null : redactor.marker(object.content),
    value: object.value === null ? null : redactor.marker(object.value),
  };
}

export function redactProject(project: Project, redactor: Redactor): Project {
  const mapValues = <T>(record: Record<string, T>, redact: (value: T) => T) =>
    Object.fromEntries(Object.entries(record).map(([key, value]) => [key, redact(value)]));
  return {
    ...project,
    services: mapValues(project.services, (service) => redactService(service, redactor)),
    networks: mapValues(project.networks, (network) => ({
      ...network,
      driverOpts: redactMap(network.driverOpts, isSecretLookingKey, redactor),
      labels: redactMap(network.labels, isSecretLookingKey, redactor),
    })),
    volumes: mapValues(project.volumes, (volume) => ({
      ...volume,
      driverOpts: redactMap(volume.driverOpts, isSecretLookingKey, redactor),
      labels: redactMap(volume.labels, isSecretLookingKey, redactor),
    })),
    secrets: mapValues(project.secrets, (secret) => redactFileObject(secret, redactor)),
    configs: mapValues(project.configs, (config) => redactFileObject(config, redactor)),
  };
}
