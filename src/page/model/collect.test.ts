import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyStatus } from '../../controller/project-status.js';
import type { EnginePort } from '../../engine/engine-port.js';
import { createRedactor } from '../../redaction/redact.js';
import { projectFromYaml } from '../../reconciler/observe/observed-builders.test-support.js';
import { renderDocument } from '../render/document.js';
import { renderSections } from '../render/sections.js';
import { collectSnapshot } from './collect.js';

// No secret value reaches the page: not in the HTML, not in the event stream's sections, not in
// /page.json, even where a model carried it as free text (rollback evidence, an audit cause, a drift reason).

const SECRET = 'hunter2-never-shown';

describe('secrets on the page', () => {
  it('a secret env value must appear in neither the HTML, the live sections nor the JSON', async () => {
    const project = projectFromYaml(`
name: vault
services:
  db:
    image: postgres:15
    environment:
      POSTGRES_PASSWORD: ${SECRET}
      DATABASE_URL: postgres://app:${SECRET}@db/app
`);
    const auditLog = join(mkdtempSync(join(tmpdir(), 'composelet-page-audit-')), 'audit.log');
    writeFileSync(
      auditLog,
      `${JSON.stringify({ time: '2026-12-01T20:00:00.000Z', actor: 'controller', user: 'u@h', project: 'vault', service: 'db', action: 'rollout', resource: 'container:vault-db-1', cause: `healthcheck said ${SECRET}`, specHashBefore: null, specHashAfter: null, result: 'rolled-back', error: `connect postgres://app:${SECRET}@db failed`, manifestCommit: null, durationMs: 1 })}\n`,
    );
    const status = { ...emptyStatus('/srv/vault'), projectName: 'vault', services: { db: { restarts: 0, crashLooping: false, backoffSeconds: 0, rolledBack: { specHash: 'a', previousSpecHash: 'b', at: '2026-12-01T20:00:00.000Z', reason: `unhealthy: ${SECRET}` } } } };
    const snapshot = await collectSnapshot({
      engine: { listContainers: async () => [] } as unknown as EnginePort,
      engineConnected: () => true,
      readOnly: () => false,
      projects: () => [project],
      statuses: () => [status],
      backups: async () => [],
      git: () => null,
      drift: () => ({
        schemaVersion: '1',
        generatedAt: '2026-12-01T20:00:00.000Z',
        host: 'h',
        engine: { version: '20', apiVersion: '1.41' },
        composelet: { version: '0' },
        manifest: { path: '/srv', git: null },
        inSync: false,
        summary: {} as never,
        projects: [{ name: 'vault', status: 'drifted', services: [{ name: 'db', status: 'drifted', replicas: 1, containers: [], changes: [{ category: 'configuration', container: 'vault-db-1', path: '/env', op: 'replace', desired: null, live: null, reason: `env changed to ${SECRET}` }] }], changes: [], policy: [], backups: [] }],
      }),
      auditLogPath: auditLog,
      redactor: createRedactor({ key: 'test' }),
    });
    const outputs = {
      html: renderDocument(snapshot, { project: null, service: null }, { script: true }),
      sections: JSON.stringify(renderSections(snapshot, { project: null, service: null })),
      json: JSON.stringify(snapshot),
    };
    for (const [name, text] of Object.entries(outputs)) {
      expect(text, name).not.toContain(SECRET);
      expect(text, name).toContain('redacted:');
    }
    expect(snapshot.projects[0]!.services[0]!.rolledBack).toMatch(/^unhealthy: <redacted:[0-9a-f]{8}>$/);
  });
});
