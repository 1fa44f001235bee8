import fc from 'fast-check';
import { stringify, parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/desired-state/load.js';
import type { Project } from '../../../src/desired-state/model.js';
import { plan } from '../../../src/reconciler/plan/planner.js';
import { createRedactor, isSecretLookingKey } from '../../../src/redaction/redact.js';
import { redactPlan } from '../../../src/redaction/redact-plan.js';
import { redactProject } from '../../../src/redaction/redact-project.js';
import { writeManifestTree } from '../../support/manifest-files.js';

// For random projects with random secrets: every output parses, no field that is not secret changes, and
// no secret appears. Secrets come in two kinds: sentinels (which must appear nowhere in any output) and
// values equal to a service name, an image, a port or "true" (which must be redacted where they are the
// secret and left alone where they are a name, an image, a port or a plain value).

const redactor = createRedactor({ key: 'property' });
const MARKER = /<redacted:[0-9a-f]{8}>/;

type Source = 'plain' | 'secret-key' | 'dotenv' | 'env-file';

interface EnvironmentEntry {
  key: string;
  source: Source;
  /** Index into the secret pool (sentinels and colliding values), or a plain value. */
  value: { pool: number } | { plain: string };
}

interface GeneratedService {
  name: string;
  image: string;
  hostPort: number;
  path: string;
  environment: EnvironmentEntry[];
  /** Command word taken from a .env variable (index into the pool), if any. */
  commandFromDotenv: number | null;
}

const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/);
const plainKey = fc.stringMatching(/^[A-Z][A-Z_]{0,7}$/).filter((key) => !isSecretLookingKey(key));
const sentinel = fc.stringMatching(/^[0-9a-f]{6}$/).map((hex) => `Sentinel-${hex}`);

const serviceArbitrary = (poolSize: number) =>
  fc.record({
    name: word,
    image: fc.tuple(word, fc.constantFrom('15', 'latest', '8000', '1.2.3')).map(([name, tag]) => `${name}:${tag}`),
    hostPort: fc.integer({ min: 1024, max: 9999 }),
    path: word,
    environment: fc.uniqueArray(
      fc.record({
        key: plainKey,
        source: fc.constantFrom<Source>('plain', 'secret-key', 'dotenv', 'env-file'),
        value: fc.oneof(fc.record({ pool: fc.nat({ max: poolSize - 1 }) }), fc.record({ plain: fc.oneof(word, fc.constantFrom('8000', 'true', 'postgres')) })),
      }),
      { selector: (entry) => entry.key, maxLength: 5 },
    ),
    commandFromDotenv: fc.option(fc.nat({ max: poolSize - 1 }), { nil: null }),
  });

const projectArbitrary = fc
  .record({ sentinels: fc.uniqueArray(sentinel, { minLength: 3, maxLength: 3 }) })
  .chain(({ sentinels }) =>
    fc.record({
      sentinels: fc.constant(sentinels),
      services: fc.uniqueArray(serviceArbitrary(sentinels.length + 4), { minLength: 1, maxLength: 3, selector: (service) => service.name }),
      configContent: sentinel,
    }),
  );

interface Generated {
  directory: string;
  /** Every secret value, sentinels first. */
  pool: string[];
  sentinels: string[];
  /** "service\0KEY" of every environment value that is secret by construction. */
  secretEnvironment: Set<string>;
  /** "service\0index" of every command word that is secret by construction. */
  secretCommandWords: Set<string>;
}

function write(input: { sentinels: string[]; services: GeneratedService[]; configContent: string }): Generated {
  const first = input.services[0]!;
  // Colliding secrets: a service name, an image, a port and "true".
  const pool = [...input.sentinels, first.name, first.image, String(first.hostPort), 'true'];
  const secretEnvironment = new Set<string>();
  const secretCommandWords = new Set<string>();
  const dotenv: string[] = [];
  const files: Record<string, string> = {};
  const lines = ['name: property', 'services:'];
  const seenPorts = new Set<number>();
  for (const service of input.services) {
    lines.push(`  ${JSON.stringify(service.name)}:`, `    image: ${JSON.stringify(service.image)}`);
    if (!seenPorts.has(service.hostPort)) lines.push(`    ports: [${JSON.stringify(`${service.hostPort}:8000`)}]`);
    seenPorts.add(service.hostPort);
    lines.push(`    volumes: [${JSON.stringify(`./${service.path}:/data/${service.path}`)}]`);
    const environment: string[] = [];
    const envFile: string[] = [];
    for (const entry of service.environment) {
      // A plain value may equal a secret that is also a name, an image or a port, never a sentinel.
      const index = 'pool' in entry.value ? (entry.source === 'plain' ? input.sentinels.length + (entry.value.pool % 4) : entry.value.pool) : null;
      const value = index === null ? (entry.value as { plain: string }).plain : pool[index]!;
      if (entry.source === 'plain') environment.push(`      ${entry.key}: ${JSON.stringify(value)}`);
      if (entry.source === 'secret-key') environment.push(`      ${entry.key}_PASSWORD: ${JSON.stringify(value)}`);
      if (entry.source === 'dotenv') {
        const variable = `DOTENV_${dotenv.length}`;
        dotenv.push(`${variable}=${value}`);
        environment.push(`      ${entry.key}: ${JSON.stringify(`\${${variable}}`)}`);
      }
      if (entry.source === 'env-file') envFile.push(`${entry.key}=${value}`);
      if (entry.source !== 'plain') secretEnvironment.add(`${service.name}\0${entry.source === 'secret-key' ? `${entry.key}_PASSWORD` : entry.key}`);
    }
    if (envFile.length > 0) {
      files[`${service.name}.env`] = `${envFile.join('\n')}\n`;
      lines.push(`    env_file: [${JSON.stringify(`${service.name}.env`)}]`);
    }
    if (environment.length > 0) lines.push('    environment:', ...environment);
    if (service.commandFromDotenv !== null) {
      const variable = `DOTENV_${dotenv.length}`;
      dotenv.push(`${variable}=${pool[service.commandFromDotenv]!}`);
      lines.push(`    command: ["serve", "--port", "8000", ${JSON.stringify(`\${${variable}}`)}]`);
      secretCommandWords.add(`${service.name}\x003`);
    }
  }
  lines.push('configs:', '  settings:', `    content: ${JSON.stringify(input.configContent)}`);
  files['compose.yaml'] = `${lines.join('\n')}\n`;
  files['.env'] = `${dotenv.join('\n')}\n`;
  return { directory: writeManifestTree(files), pool, sentinels: [...input.sentinels, input.configContent], secretEnvironment, secretCommandWords };
}

function load(directory: string): Project {
  const result = loadDesiredState(directory, { environment: {}, homeDir: directory });
  if (!result.ok) throw new Error(result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n'));
  return result.state.projects[0]!;
}

/** Paths and values of every leaf where the two trees differ. */
function differences(left: unknown, right: unknown, path: Array<string | number> = []): Array<{ path: Array<string | number>; left: unknown; right: unknown }> {
  if (typeof left === 'object' && left !== null && typeof right === 'object' && right !== null) {
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    return [...keys].flatMap((key) => differences((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key], [...path, key]));
  }
  return Object.is(left, right) ? [] : [{ path, left, right }];
}

function isSecretPath(path: Array<string | number>, generated: Generated): boolean {
  const [top, name, field, key] = path.map(String);
  if ((top === 'configs' || top === 'secrets') && (field === 'content' || field === 'value')) return true;
  if (top !== 'services') return false;
  if (field === 'environment') return generated.secretEnvironment.has(`${name}\0${key}`);
  if (field === 'command') return generated.secretCommandWords.has(`${name}\0${key}`);
  return false;
}

describe('redaction by field (property)', () => {
  it('every output must parse, no field that is not secret may change, and no secret may appear', () => {
    fc.assert(
      fc.property(projectArbitrary, (input) => {
        const generated = write(input);
        const project = load(generated.directory);
        const redacted = redactProject(project, redactor);

        // Only secret fields changed, and each of them to a marker.
        for (const difference of differences(project, redacted)) {
          expect(isSecretPath(difference.path, generated), `changed: ${difference.path.join('.')}`).toBe(true);
          expect(String(difference.right)).toMatch(MARKER);
        }
        // Every secret field is a marker.
        for (const secret of generated.secretEnvironment) {
          const [name, key] = secret.split('\0') as [string, string];
          expect(redacted.services[name]!.environment[key]).toMatch(MARKER);
        }

        // Every output parses to what was redacted, and holds no sentinel.
        const steps = plan(project, { projectName: project.name, containers: [], networks: [], volumes: [], images: [] }, { prune: false, buildHashes: {} });
        const outputs = {
          configJson: JSON.stringify({ projects: [redacted] }, null, 2),
          configYaml: stringify({ projects: [redacted] }, { aliasDuplicateObjects: false }),
          planJson: JSON.stringify({ projects: [redactPlan(steps, project, redactor)] }, null, 2),
        };
        expect(JSON.parse(outputs.configJson)).toEqual({ projects: [redacted] });
        expect(parseYaml(outputs.configYaml)).toEqual(JSON.parse(outputs.configJson));
        expect(() => JSON.parse(outputs.planJson)).not.toThrow();
        for (const [where, text] of Object.entries(outputs)) {
          for (const value of generated.sentinels) expect(text, `${value} in ${where}`).not.toContain(value);
        }

        // The plan's container specs keep every name, image and port.
        const created = JSON.parse(outputs.planJson).projects[0].operations.filter((operation: { kind: string }) => operation.kind === 'create-container');
        for (const operation of created) {
          const service = project.services[operation.service]!;
          expect(operation.spec.Image).toBe(service.image);
          expect(operation.spec.Labels['com.docker.compose.service']).toBe(service.name);
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
