import type { Project, Service } from '../desired-state/model.js';
import type { Redactor } from './redact.js';

// A project safe to print: environment values of secret-looking keys and of keys that came from an
// env_file, build args of secret-looking keys, and credentials inside URLs are replaced by markers.

export function redactService(service: Service, redactor: Redactor): Service {
  const fromFiles = new Set(service.environmentFromFiles);
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.environment)) {
    environment[key] = redactor.environmentValue(key, value, { forceSecret: fromFiles.has(key) });
  }
  const build = service.build
    ? {
        ...service.build,
        args: Object.fromEntries(
          Object.entries(service.build.args).map(([key, value]) => [key, value === null ? null : redactor.environmentValue(key, value)]),
        ),
      }
    : null;
  const redactList = (values: string[] | null) => (values === null ? null : values.map((value) => redactor.text(value)));
  const redactHooks = (hooks: Service['postStart']) =>
    hooks.map((hook) => ({
      ...hook,
      environment: Object.fromEntries(Object.entries(hook.environment).map(([key, value]) => [key, redactor.environmentValue(key, value)])),
    }));
  return {
    ...service,
    environment,
    postStart: redactHooks(service.postStart),
    preStop: redactHooks(service.preStop),
    build,
    command: redactList(service.command),
    entrypoint: redactList(service.entrypoint),
    labels: Object.fromEntries(Object.entries(service.labels).map(([key, value]) => [key, redactor.environmentValue(key, value)])),
  };
}

export function redactProject(project: Project, redactor: Redactor): Project {
  return {
    ...project,
    services: Object.fromEntries(Object.entries(project.services).map(([name, service]) => [name, redactService(service, redactor)])),
    configs: Object.fromEntries(
      Object.entries(project.configs).map(([key, config]) => [
        key,
        {
          ...config,
          content: config.content === null ? null : redactor.marker(config.content),
          value: config.value === null ? null : redactor.marker(config.value),
        },
      ]),
    ),
    secrets: Object.fromEntries(
      Object.entries(project.secrets).map(([key, secret]) => [key, { ...secret, value: secret.value === null ? null : redactor.marker(secret.value) }]),
    ),
  };
}
