import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDesiredState } from '../../src/desired-state/load.js';
import type { ManifestIssue } from '../../src/desired-state/manifest-issue.js';
import { effectivePolicy } from '../../src/policy/index.js';
import { writeManifestTree, yaml } from '../support/manifest-files.js';

// `x-composelet.policy` is validated with the rest of the file: every problem with its file, line,
// column, path and cause, all at once; unknown rule ids name the valid ones.

interface Expected {
  line: number;
  column: number;
  path: string;
  message: string;
}

function issuesOf(content: string): { file: string; issues: ManifestIssue[] } {
  const directory = writeManifestTree({ 'compose.yaml': content }, { directoryName: 'proj' });
  const result = loadDesiredState(directory, { environment: {} });
  if (result.ok) throw new Error('expected the manifest to be rejected');
  return { file: join(directory, 'compose.yaml'), issues: result.issues };
}

const cases: Array<[string, string, Expected]> = [
  [
    'an unknown rule id must be named with a suggestion and the valid ids',
    yaml`
      x-composelet:
        policy:
          rules:
            no-privilegd: error
      services:
        api: { image: x }
    `,
    {
      line: 4,
      column: 7,
      path: 'x-composelet.policy.rules.no-privilegd',
      message:
        'unknown policy rule "no-privilegd"; did you mean "no-privileged"? (rules: no-privileged, no-host-namespaces, no-sensitive-mounts, no-public-ports, memory-limit-required, healthcheck-required, no-secret-literals, no-new-privileges-required, non-root-user, log-rotation-required)',
    },
  ],
  [
    'an unknown rule id at service level must be reported at its place',
    yaml`
      services:
        api:
          image: x
          x-composelet:
            policy:
              rules: { healthcheck: off }
    `,
    { line: 6, column: 18, path: 'services.api.x-composelet.policy.rules.healthcheck', message: 'unknown policy rule "healthcheck"' },
  ],
  [
    'a level other than error, warn or off must be rejected',
    yaml`
      x-composelet:
        policy:
          rules:
            no-privileged: fatal
      services:
        api: { image: x }
    `,
    { line: 4, column: 7, path: 'x-composelet.policy.rules.no-privileged', message: 'must be error, warn or off' },
  ],
  [
    'a level of another type must be named by its type',
    yaml`
      services:
        api:
          image: x
          x-composelet:
            policy:
              rules:
                non-root-user: true
    `,
    { line: 7, column: 11, path: 'services.api.x-composelet.policy.rules.non-root-user', message: 'must be error, warn or off, got a boolean' },
  ],
  [
    'rules that are not a map must be rejected',
    yaml`
      x-composelet:
        policy:
          rules: [no-privileged]
      services:
        api: { image: x }
    `,
    { line: 3, column: 5, path: 'x-composelet.policy.rules', message: 'expected a map of rule ids to levels (error, warn or off), got a list' },
  ],
  [
    'an unknown policy key must be named with a suggestion',
    yaml`
      x-composelet:
        policy:
          allow_public_port: [80]
      services:
        api: { image: x }
    `,
    { line: 3, column: 5, path: 'x-composelet.policy.allow_public_port', message: 'unknown key "allow_public_port"; did you mean "allow_public_ports"?' },
  ],
  [
    'an allowed port out of range must be rejected',
    yaml`
      x-composelet:
        policy:
          allow_public_ports: [80, 70000]
      services:
        api: { image: x }
    `,
    { line: 3, column: 30, path: 'x-composelet.policy.allow_public_ports[1]', message: 'expected a port number from 1 to 65535' },
  ],
  [
    'an allow list that is not a list must be rejected',
    yaml`
      services:
        api:
          image: x
          x-composelet:
            policy: { allow_public_ports: 80 }
    `,
    { line: 5, column: 17, path: 'services.api.x-composelet.policy.allow_public_ports', message: 'expected a list of port numbers, got a number' },
  ],
];

describe('policy settings validation', () => {
  it.each(cases)('%s', (_name, content, expected) => {
    const { file, issues } = issuesOf(content);
    const issue = issues.find((candidate) => candidate.path === expected.path);
    expect(issue, JSON.stringify(issues, null, 2)).toBeDefined();
    expect({ file: issue!.file, line: issue!.line, column: issue!.column }).toEqual({ file, line: expected.line, column: expected.column });
    expect(issue!.message).toContain(expected.message);
  });

  it('every problem in the settings must be reported at once', () => {
    const { issues } = issuesOf(yaml`
      x-composelet:
        policy:
          rules: { no-privilegd: error, no-public-ports: loud }
          allow_public_ports: [0]
      services:
        api: { image: x }
    `);
    expect(issues.map((issue) => issue.path)).toEqual([
      'x-composelet.policy.rules.no-privilegd',
      'x-composelet.policy.rules.no-public-ports',
      'x-composelet.policy.allow_public_ports[0]',
    ]);
  });

  it('valid settings must load and resolve service over project over the default', () => {
    const directory = writeManifestTree({
      'compose.yaml': yaml`
        x-composelet:
          policy:
            rules: { no-privileged: error, non-root-user: off }
            allow_public_ports: [443, "8443"]
        services:
          api:
            image: x
            x-composelet:
              policy:
                rules: { no-privileged: warn }
                allow_public_ports: [80]
          worker:
            image: x
      `,
    });
    const result = loadDesiredState(directory, { environment: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const project = result.state.projects[0]!;
    const api = effectivePolicy(project, 'api');
    const worker = effectivePolicy(project, 'worker');
    expect([api.levels['no-privileged'], api.levels['non-root-user'], api.levels['memory-limit-required']]).toEqual(['warn', 'off', 'warn']);
    expect([worker.levels['no-privileged'], worker.levels['non-root-user']]).toEqual(['error', 'off']);
    expect([...api.allowPublicPorts]).toEqual([80]);
    expect([...worker.allowPublicPorts]).toEqual([443, 8443]);
  });
});
