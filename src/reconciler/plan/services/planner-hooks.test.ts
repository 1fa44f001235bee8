import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../desired-state/canonical-json.js';
import { convergedContainer, convergedState, emptyState, lines, planText, projectFromYaml, withContainer } from '../../observe/observed-builders.test-support.js';
import { plan, planDown } from '../planner.js';
import { planToJson, renderPlan } from '../render-plan.js';
import { redactPlan } from '../../../redaction/redact-plan.js';
import { createRedactor } from '../../../redaction/redact.js';

// Where lifecycle hooks and copied files appear in a plan: every start of a service's container carries its
// post_start hooks, every stop its pre_stop hooks; a create carries the files from `environment` and
// `content` sources, shown by target and sha256, never by content.

const HOOKED = `
name: demo
services:
  api:
    image: acme/api:1
    post_start: [{ command: touch /tmp/started }]
    pre_stop:
      - command: sh -c "echo bye"
      - { command: sync, environment: { API_TOKEN: hook-secret-value, MODE: drain } }
`;

const FILES = `
name: demo
services:
  api:
    image: acme/api:1
    secrets: [token, { source: on_disk }]
    configs: [{ source: app_conf, target: /etc/app.conf, mode: "0440" }]
secrets:
  token: { environment: API_TOKEN }
  on_disk: { file: ./compose.yaml }
configs:
  app_conf: { content: "level=debug" }
`;

describe('lifecycle hooks in the plan', () => {
  const project = projectFromYaml(HOOKED);

  it('a new container must start with its post_start hooks', () => {
    expect(planText(project, emptyState('demo'))).toContain('[3] start-container container:demo-api-1 post_start=1 (new container) after [2]');
  });

  it('a replacement must stop the old container with pre_stop hooks and start the new one with post_start hooks', () => {
    const observed = withContainer(convergedState(project), convergedContainer(project, 'api', 1, { specHash: 'old' }));
    const text = planText(project, observed);
    expect(text).toMatch(/stop-container container:demo-api-1 id=\w{12} timeout=10s pre_stop=2 \(spec changed/);
    expect(text).toMatch(/start-container container:demo-api-1 post_start=1 \(spec changed/);
  });

  it('a stopped container started again must run its post_start hooks', () => {
    const observed = withContainer(convergedState(project), convergedContainer(project, 'api', 1, { state: 'exited', exitCode: 1 }));
    expect(planText(project, observed)).toBe('[0] start-container container:demo-api-1 post_start=1 (exited (1))');
  });

  it('down must stop with pre_stop hooks', () => {
    expect(renderPlan(planDown(project, convergedState(project), { removeVolumes: false }))).toBe(
      lines(`
        [0] stop-container container:demo-api-1 timeout=10s pre_stop=2 (down)
        [1] remove-container container:demo-api-1 (down) after [0]
        [2] remove-network network:demo_default (down) after [1]
      `),
    );
  });

  it('a healing restart must stop with pre_stop and start with post_start hooks', () => {
    const text = planText(project, convergedState(project), { healing: { restartContainers: { 'demo-api-1': 'unhealthy' } } });
    expect(text).toBe(lines(`
      [0] stop-container container:demo-api-1 timeout=10s pre_stop=2 (unhealthy)
      [1] start-container container:demo-api-1 post_start=1 (unhealthy) after [0]
    `));
  });

  it('the JSON plan must show hook commands but redact hook environment values of secret-looking keys', () => {
    const observed = withContainer(convergedState(project), convergedContainer(project, 'api', 1, { specHash: 'old' }));
    // What `plan --json` prints: the plan redacted by field (src/redaction/redact-plan.ts), then as JSON.
    const json = JSON.stringify(redactPlan(plan(project, observed, { prune: false, buildHashes: {} }), project, createRedactor()));
    expect(json).toContain('"command":["touch","/tmp/started"]');
    expect(json).toContain('"MODE":"drain"');
    expect(json).not.toContain('hook-secret-value');
    expect(json).toMatch(/"API_TOKEN":"<redacted:[0-9a-f]{8}>"/);
  });

  it('hooks must not change the spec hash: a converged container with hooks added stays as it is', () => {
    const without = projectFromYaml('name: demo\nservices:\n  api: { image: acme/api:1 }\n');
    expect(planText(project, convergedState(without))).toBe('no changes');
  });
});

describe('secrets and configs copied into the container', () => {
  const environment = { API_TOKEN: 'tok-123456789' };
  const project = projectFromYaml(FILES, { environment });

  it('the create must carry the environment and content files by target and sha256, not the bind-mounted file', () => {
    const text = planText(project, emptyState('demo'));
    expect(text).toContain(
      `create-container container:demo-api-1 file=/etc/app.conf@sha256:${sha256Hex('level=debug').slice(0, 12)} file=/run/secrets/token@sha256:${sha256Hex('tok-123456789').slice(0, 12)} (not found)`,
    );
  });

  it('the JSON plan must show each file with its sha256 and never its content', () => {
    const json = planToJson(plan(project, emptyState('demo'), { prune: false, buildHashes: {} }));
    const text = JSON.stringify(json);
    expect(text).not.toContain('tok-123456789');
    expect(text).not.toContain('level=debug');
    const create = json.operations.find((operation) => operation['kind'] === 'create-container');
    expect(create?.['files']).toEqual([
      { source: 'config:app_conf', target: '/etc/app.conf', uid: 0, gid: 0, mode: 0o440, sha256: sha256Hex('level=debug') },
      { source: 'secret:token', target: '/run/secrets/token', uid: 0, gid: 0, mode: 0o444, sha256: sha256Hex('tok-123456789') },
    ]);
  });

  it('a changed secret value must recreate the container', () => {
    const changed = projectFromYaml(FILES, { environment: { API_TOKEN: 'tok-rotated' } });
    expect(changed.services.api!.specHash).not.toBe(project.services.api!.specHash);
    expect(planText(changed, convergedState(project))).toMatch(/create-container container:demo-api-1 inherit-volumes=\w+ .*file=\/run\/secrets\/token@sha256:\w{12} \(spec changed/);
  });

  it('an unset variable must be a problem that blocks the service, not a container without its secret', () => {
    const unset = projectFromYaml(FILES, { environment: {} });
    expect(planText(unset, emptyState('demo'))).toBe(lines(`
      [0] create-network network:demo_default (not found)
      [1] pull-image image:acme/api:1 (image not present)
      ! secret:token: environment variable API_TOKEN is not set: the container cannot be created
    `));
  });

  it('an unchanged value must leave the container alone', () => {
    expect(planText(projectFromYaml(FILES, { environment }), convergedState(project))).toBe('no changes');
  });
});
