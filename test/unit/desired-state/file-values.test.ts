import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../../src/desired-state/load.js';
import { createRedactor } from '../../../src/redaction/redact.js';
import { redactProject } from '../../../src/redaction/redact-project.js';
import { writeManifestTree, yaml } from '../../support/manifest-files.js';

// Secrets and configs from `environment` or `content` are resolved at load time into `value`: what goes
// into the container. An unset variable leaves it null; the planner reports it (plan-service).

function load(compose: string, environment: Record<string, string> = {}) {
  const directory = writeManifestTree({ 'compose.yaml': compose }, { directoryName: 'proj' });
  return loadDesiredState(directory, { environment, homeDir: '/home/op' });
}

const COMPOSE = yaml`
  services:
    app:
      image: x
      secrets: [token]
      configs: [inline]
  secrets:
    token: { environment: APP_TOKEN }
    unused: { environment: NOT_SET_ANYWHERE }
  configs:
    inline: { content: "port=\${PORT:-80}" }
`;

describe('values of environment and content sources', () => {
  it('an environment secret must take the variable value and inline content its interpolated text', () => {
    const result = load(COMPOSE, { APP_TOKEN: 'tok-secret-1234', PORT: '81' });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const project = result.state.projects[0]!;
    expect(project.secrets.token?.value).toBe('tok-secret-1234');
    expect(project.secrets.unused?.value).toBeNull();
    expect(project.configs.inline?.value).toBe('port=81');
  });

  it('an unset variable must not fail the load (Compose fails only its up): the value stays null', () => {
    const result = load(COMPOSE, {});
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.state.projects[0]!.secrets.token?.value).toBeNull();
  });

  it('the printable model must never hold the values', () => {
    const result = load(COMPOSE, { APP_TOKEN: 'tok-secret-1234' });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const printed = JSON.stringify(redactProject(result.state.projects[0]!, createRedactor({ key: 'test' })));
    expect(printed).not.toContain('tok-secret-1234');
    expect(printed).not.toContain('port=80');
  });

  it('the spec hash must change with the value, and only for the services that use it', () => {
    const compose = 'services:\n  app: { image: x, secrets: [token] }\n  other: { image: x }\nsecrets:\n  token: { environment: APP_TOKEN }\n';
    const first = load(compose, { APP_TOKEN: 'one-value' });
    const second = load(compose, { APP_TOKEN: 'two-value' });
    if (!first.ok || !second.ok) throw new Error('expected both to load');
    const [before, after] = [first.state.projects[0]!, second.state.projects[0]!];
    expect(after.services.app!.specHash).not.toBe(before.services.app!.specHash);
    expect(after.services.other!.specHash).toBe(before.services.other!.specHash);
  });
});
