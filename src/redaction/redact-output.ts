import type { Project } from '../desired-state/model.js';
import type { PlanJson } from '../reconciler/render-plan.js';
import { redactKnownValues, valuesFromDotenv } from './dotenv-provenance.js';
import type { Redactor } from './redact.js';

// The last line of defence before text leaves composelet: values that came from `.env` and env_file and
// values of secret-looking keys are replaced wherever they appear, and container specs in a plan have
// their environment redacted key by key.

/** Every value of the project that must never be printed: from .env, env_file, secret-looking keys. */
export function secretValuesOf(project: Project, redactor: Redactor, environment?: Readonly<Record<string, string | undefined>>): Set<string> {
  const values = valuesFromDotenv(project, environment ? { environment } : {});
  for (const service of Object.values(project.services)) {
    const fromFiles = new Set(service.environmentFromFiles);
    for (const [key, value] of Object.entries(service.environment)) {
      if (value.length < 4) continue;
      if (fromFiles.has(key) || redactor.environmentValue(key, value) !== value) values.add(value);
    }
  }
  // Secrets copied into containers (from an environment variable) are never printed either.
  for (const secret of Object.values(project.secrets)) if (secret.value !== null && secret.value.length >= 4) values.add(secret.value);
  return values;
}

export function scrubText(text: string, secrets: ReadonlySet<string>, redactor: Redactor): string {
  return redactor.text(redactKnownValues(text, secrets, redactor));
}

/** A plan as data with every container spec's Env redacted (KEY=<redacted:…> for secret values). */
export function redactPlanJson(plan: PlanJson, secrets: ReadonlySet<string>, redactor: Redactor): PlanJson {
  const operations = plan.operations.map((operation) => {
    const spec = operation['spec'] as { Env?: string[] } | undefined;
    if (!spec?.Env) return operation;
    const Env = spec.Env.map((entry) => {
      const index = entry.indexOf('=');
      if (index < 0) return entry;
      const key = entry.slice(0, index);
      const value = entry.slice(index + 1);
      return `${key}=${secrets.has(value) ? redactor.marker(value) : redactor.environmentValue(key, value)}`;
    });
    return { ...operation, spec: { ...spec, Env } };
  });
  return JSON.parse(scrubText(JSON.stringify({ ...plan, operations }), secrets, redactor)) as PlanJson;
}
