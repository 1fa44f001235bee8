import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DriftChange, DriftReport, ServiceDrift } from '../../src/drift/model.js';
import { anonymousVolumeLabels, anonymousVolumeName } from '../../src/actuators/volume-spec.js';
import { stackFixture } from '../support/converge-fixture.js';
import { removeProjectObjects, runDocker, testEngine, uniqueProjectName } from '../support/engine.js';
import { writeManifestTree } from '../support/manifest-files.js';
import { runCliCaptured } from '../support/run-cli.js';

// `composelet drift` against the real engine: a converged stack shows no drift; each kind of out-of-band
// change (docker update, stop, network disconnect, a container recreated by hand, a foreign spec hash,
// an orphan, a stranger on the project's network) is reported with its field; sentinel secrets never
// show in any output; the JSON always matches schemas/drift-report.v1.json.

const engine = testEngine();
const schemaPath = fileURLToPath(new URL('../../schemas/drift-report.v1.json', import.meta.url));
const reportSchema = z.fromJSONSchema(JSON.parse(readFileSync(schemaPath, 'utf8')) as Parameters<typeof z.fromJSONSchema>[0]);
const SENTINELS = ['sentinel-secret-4711', 'file-sentinel-0815', 'dotenv-sentinel-2024'];
const MARKER = /^<redacted:[0-9a-f]{8}>$/;

function parseReport(stdout: string): DriftReport {
  const report = JSON.parse(stdout) as unknown;
  const checked = reportSchema.safeParse(report);
  if (!checked.success) throw new Error(`drift report does not match its schema: ${JSON.stringify(checked.error.issues, null, 2)}`);
  return report as DriftReport;
}

function serviceOf(report: DriftReport, name: string): ServiceDrift {
  const service = report.projects[0]?.services.find((candidate) => candidate.name === name);
  if (!service) throw new Error(`no service ${name} in the report: ${JSON.stringify(report.projects[0]?.services.map((entry) => entry.name))}`);
  return service;
}

function changeAt(service: ServiceDrift, path: string): DriftChange {
  const change = service.changes.find((candidate) => candidate.path === path);
  if (!change) throw new Error(`no change at ${path} for ${service.name}: ${JSON.stringify(service.changes, null, 2)}`);
  return change;
}

describe('composelet drift on a stack changed out of band', () => {
  const stack = stackFixture('drift-stack', uniqueProjectName('drift'));
  const projectName = stack.projectName;
  const neighbour = `${projectName}-neighbour`;
  const drift = async (...args: string[]) => {
    const result = await stack.run('drift', '--format', 'json', ...args);
    expect(result.stderr).toBe('');
    return { code: result.code, report: parseReport(result.stdout) };
  };

  beforeAll(async () => {
    const applied = await stack.run('apply', '--timeout', '60s');
    if (applied.code !== 0) throw new Error(`apply failed: ${applied.stdout}\n${applied.stderr}`);
  }, 120_000);
  afterAll(async () => {
    await runDocker(['rm', '-f', neighbour]).catch(() => undefined);
    await removeProjectObjects(engine, projectName);
  });

  it('a freshly converged stack must show no drift and exit 0', async () => {
    const { code, report } = await drift();
    expect(report.projects[0]!.services.filter((service) => service.status !== 'in-sync')).toEqual([]);
    expect(report.projects[0]!.changes).toEqual([]);
    expect(code).toBe(0);
    expect(report).toMatchObject({ schemaVersion: '1', inSync: true, manifest: { path: stack.directory, git: null } });
    expect(report.summary).toMatchObject({ projects: 1, projectsDrifted: 0, services: 6, changes: 0 });
    expect(serviceOf(report, 'migrate').containers[0]).toMatchObject({ state: 'exited', exitCode: 0 });
    const markdown = await stack.run('drift', '--format', 'markdown');
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('# Drift report: in sync');
  });

  it('policy rules must be checked on the live containers and reported without making the stack drifted', async () => {
    const { report } = await drift();
    const findings = report.projects[0]!.policy;
    // busybox runs as root and no service sets user: the live check sees the image's user.
    expect(findings.some((finding) => finding.ruleId === 'non-root-user' && finding.container !== null)).toBe(true);
    expect(report.inSync).toBe(true);
  });

  it('docker update --memory must be reported as limits changed out of band, with the field', async () => {
    await runDocker(['update', '--memory', '256m', '--memory-swap', '512m', `${projectName}-api-1`]);
    const { code, report } = await drift();
    expect(code).toBe(2);
    const api = serviceOf(report, 'api');
    expect(api.status).toBe('drifted');
    expect(changeAt(api, '/limits/memoryBytes')).toEqual({
      category: 'limits',
      container: `${projectName}-api-1`,
      path: '/limits/memoryBytes',
      op: 'replace',
      desired: 128 * 2 ** 20,
      live: 256 * 2 ** 20,
      reason: 'memory limit changed out of band: 128MiB -> 256MiB',
    });
  });

  it('a container stopped by hand must be reported as stopped, and the completed one-shot must not', async () => {
    await runDocker(['stop', '-t', '1', `${projectName}-web-1`]);
    const { code, report } = await drift();
    expect(code).toBe(2);
    const web = serviceOf(report, 'web');
    expect(web.status).toBe('stopped');
    expect(changeAt(web, '/state')).toMatchObject({ category: 'stopped', desired: 'running', live: 'exited (0)' });
    expect(serviceOf(report, 'migrate')).toMatchObject({ status: 'in-sync', changes: [] });
  });

  it('docker network disconnect must be reported as a disconnected network', async () => {
    await runDocker(['network', 'disconnect', `${projectName}_frontend`, `${projectName}-api-1`]);
    const { report } = await drift();
    expect(changeAt(serviceOf(report, 'api'), `/networks/${projectName}_frontend`)).toMatchObject({
      category: 'network',
      op: 'remove',
      desired: { aliases: ['api', 'api.internal'], ipv4Address: null, ipv6Address: null },
      live: null,
      reason: `not connected to network ${projectName}_frontend`,
    });
  });

  it('a container recreated by hand with docker run and the compose labels must be reported as not adopted, with its env change', async () => {
    await runDocker(['rm', '-f', `${projectName}-db-1`]);
    await runDocker([
      'run', '-d', '--name', `${projectName}-db-1`,
      '--label', `com.docker.compose.project=${projectName}`,
      '--label', 'com.docker.compose.service=db',
      '--label', 'com.docker.compose.container-number=1',
      '--network', `${projectName}_backend`,
      '-e', 'DB_MODE=replica',
      '-e', 'DB_PASSWORD=sentinel-secret-4711-rotated',
      '-e', 'DB_FILE_SETTING=file-sentinel-0815-rotated',
      '-e', 'UPSTREAM=dotenv-sentinel-2024-rotated',
      'composelet/busybox:1', 'sh', '-c', "echo sentinel-secret-4711 > /dev/null; trap 'exit 0' TERM; sleep 86400 & wait",
    ]);
    const { code, report } = await drift();
    expect(code).toBe(2);
    const db = serviceOf(report, 'db');
    // With the project's compose labels it is what docker compose would have made: `adopt` takes it over.
    expect(db.status).toBe('not-adopted');
    expect(db.containers).toEqual([expect.objectContaining({ name: `${projectName}-db-1`, owned: false })]);
    expect(changeAt(db, '/labels/io.composelet.managed')).toMatchObject({ category: 'not-adopted', op: 'remove' });
    expect(changeAt(db, '/environment/DB_MODE')).toMatchObject({
      category: 'configuration',
      op: 'replace',
      desired: 'primary',
      live: 'replica',
      reason: 'env DB_MODE changed: primary -> replica',
    });
    for (const secretKey of ['DB_PASSWORD', 'DB_FILE_SETTING', 'UPSTREAM']) {
      const change = changeAt(db, `/environment/${secretKey}`);
      expect(change.desired).toMatch(MARKER);
      expect(change.live).toMatch(MARKER);
      expect(change.live, `${secretKey}: a changed secret must show a changed marker`).not.toBe(change.desired);
    }
    expect(changeAt(db, '/limits/memoryBytes')).toMatchObject({ desired: 128 * 2 ** 20, live: null });
  });

  it('an owned container whose spec hash matches no desired service must be foreign', async () => {
    const original = await engine.inspectContainer(`${projectName}-cache-1`);
    const labels = { ...original.Config.Labels, 'io.composelet.spec-hash': '0'.repeat(64) };
    await runDocker(['rm', '-f', `${projectName}-cache-1`]);
    await runDocker([
      'run', '-d', '--name', `${projectName}-cache-1`, '--init', '--restart', 'unless-stopped',
      '--network', `${projectName}_backend`, '--network-alias', 'cache',
      ...Object.entries(labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
      'composelet/busybox:1', 'sh', '-c', "trap 'exit 0' TERM; sleep 86400 & wait",
    ]);
    const { report } = await drift();
    const cache = serviceOf(report, 'cache');
    expect(cache.status).toBe('foreign');
    expect(cache.containers).toEqual([expect.objectContaining({ owned: true })]);
    const change = changeAt(cache, '/labels/io.composelet.spec-hash');
    expect(change).toMatchObject({ category: 'foreign', op: 'replace', live: '0'.repeat(64) });
    expect(change.reason).toContain('matches no desired service spec');
    // Made with the same settings, it differs in no field.
    expect(cache.changes.filter((other) => other.category !== 'foreign')).toEqual([]);
  });

  it('a service removed from the manifests must leave an orphan', async () => {
    stack.edit((text) => text.replace(/  # sidecar:start[\s\S]*?# sidecar:end\n/, ''));
    const { report } = await drift();
    const sidecar = serviceOf(report, 'sidecar');
    expect(sidecar).toMatchObject({ status: 'orphan', replicas: 0 });
    expect(sidecar.changes).toEqual([
      expect.objectContaining({ category: 'orphan', container: `${projectName}-sidecar-1`, op: 'add' }),
    ]);
    expect(sidecar.changes[0]!.reason).toContain('service removed from the manifests');
  });

  it('a container composelet does not own on the project network must be reported', async () => {
    await runDocker(['run', '-d', '--name', neighbour, '--network', `${projectName}_backend`, 'composelet/busybox:1', 'sleep', '600']);
    const { report } = await drift();
    expect(report.projects[0]!.changes).toEqual([
      expect.objectContaining({
        category: 'unowned',
        container: neighbour,
        path: `/networks/${projectName}_backend/containers/${neighbour}`,
        op: 'add',
      }),
    ]);
  });

  it('an anonymous volume composelet owns that no service needs must be reported as dangling, in JSON and Markdown', async () => {
    const owner = { projectName, service: 'gone', number: 1 };
    const volume = anonymousVolumeName(owner, '/cache');
    const labels = Object.entries(anonymousVolumeLabels(owner, '/cache')).flatMap(([key, value]) => ['--label', `${key}=${value}`]);
    await runDocker(['volume', 'create', ...labels, volume]);
    const { code, report } = await drift();
    expect(code).toBe(2);
    expect(report.projects[0]!.changes.filter((change) => change.category === 'dangling-volume')).toEqual([
      expect.objectContaining({ container: null, path: `/volumes/${volume}`, op: 'add', live: { name: volume, service: 'gone', number: 1, target: '/cache' } }),
    ]);
    expect(report.summary.byCategory['dangling-volume']).toBe(1);
    const markdown = await stack.run('drift');
    expect(markdown.stdout).toContain(`- \`${volume}\`: anonymous volume of gone #1 at /cache`);
  });

  it('no sentinel secret must appear in the JSON, the Markdown or a written report, though they drifted', async () => {
    const outputDirectory = mkdtempSync(join(tmpdir(), 'composelet-drift-output-'));
    const outputFile = join(outputDirectory, 'report.md');
    const outputs = [
      await stack.run('drift', '--format', 'json'),
      await stack.run('drift', '--format', 'markdown'),
      await stack.run('drift', '--output', outputFile),
    ];
    const written = readFileSync(outputFile, 'utf8');
    for (const output of outputs) expect(output.code).toBe(2);
    expect(outputs[2]!.stdout).toMatch(/^drift: .* not in sync.*report written to /);
    expect(written).toContain('# Drift report: drift found');
    expect(written).toContain('env DB_MODE changed');
    const everything = [...outputs.flatMap((output) => [output.stdout, output.stderr]), written].join('\n');
    for (const sentinel of SENTINELS) expect(everything).not.toContain(sentinel);
    expect(everything).toContain('<redacted:');
    const report = parseReport(outputs[0]!.stdout);
    expect(report.summary.byCategory).toMatchObject({ limits: expect.any(Number), foreign: 1, 'not-adopted': 1, orphan: 1, unowned: 1, stopped: 1 });
    expect(report.summary.byStatus).toMatchObject({ drifted: 1, stopped: 1, foreign: 1, 'not-adopted': 1, orphan: 1, 'in-sync': 1 });
  });
});

describe('composelet drift on the example platform', () => {
  const projectName = uniqueProjectName('drift-example');
  let directory: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'composelet-drift-example-'));
    cpSync(fileURLToPath(new URL('../../manifests/example', import.meta.url)), directory, { recursive: true });
    // Another copy may run as `platform` on the fixed ports: run this one under its own name, on ports
    // the engine picks.
    const file = join(directory, 'compose.yaml');
    const text = readFileSync(file, 'utf8')
      .replace(/^name: platform\n/m, '')
      .replace(/"127\.0\.0\.1:\d+:(\d+)"/g, '"127.0.0.1::$1"');
    writeFileSync(file, text);
    const applied = await runCliCaptured(['apply', directory, '-p', projectName, '--timeout', '90s'], {
      env: { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST },
    });
    if (applied.code !== 0) throw new Error(`apply failed: ${applied.stdout}\n${applied.stderr}`);
  }, 180_000);
  afterAll(() => removeProjectObjects(engine, projectName));

  it('a freshly converged example must show no drift, and its .env password must not show', async () => {
    const result = await runCliCaptured(['drift', directory, '-p', projectName, '--format', 'json'], {
      env: { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST },
    });
    const report = parseReport(result.stdout);
    expect(report.projects[0]!.services.filter((service) => service.status !== 'in-sync')).toEqual([]);
    expect(report.projects[0]!.services.map((service) => service.name)).toEqual(['api', 'cache', 'db', 'metrics', 'migrate', 'ui']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('example-only-password');
  });
});

describe('composelet drift on every converge fixture', () => {
  const fixtures = ['converge-orphans', 'converge-tiers', 'converge-volumes', 'parity'];
  const projectNames: string[] = [];
  afterAll(async () => {
    for (const projectName of projectNames) await removeProjectObjects(engine, projectName);
  });

  it.each(fixtures)('fixture %s must show no drift once applied', async (fixture) => {
    const stack = stackFixture(fixture, uniqueProjectName(`drift-${fixture}`));
    projectNames.push(stack.projectName);
    // The parity fixture binds ./site, which its own test creates; fixed host ports could be taken by
    // another run of that fixture, so the engine picks them here.
    if (fixture === 'parity') mkdirSync(join(stack.directory, 'site'));
    stack.edit((text) => text.replace(/"127\.0\.0\.1:\d+:(\d+)"/g, '"127.0.0.1::$1"'));
    const applied = await stack.run('apply', '--timeout', '60s');
    if (applied.code !== 0) throw new Error(`apply failed: ${applied.stdout}\n${applied.stderr}`);
    const result = await stack.run('drift', '--format', 'json');
    const report = parseReport(result.stdout);
    expect(report.projects[0]!.services.flatMap((service) => service.changes)).toEqual([]);
    expect(report.projects[0]!.changes).toEqual([]);
    expect(result.code).toBe(0);
  });
});

describe('composelet drift errors', () => {
  it('an invalid manifest must exit 1 and name the problem', async () => {
    const directory = writeManifestTree({ 'compose.yaml': 'services:\n  web:\n    image: [not, a, string]\n' });
    const result = await runCliCaptured(['drift', directory, '-p', 'drift-invalid'], { env: { PATH: process.env.PATH } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('composelet drift:');
    expect(result.stdout).toBe('');
  });

  it('an unreachable engine must exit 1', async () => {
    const directory = writeManifestTree({ 'compose.yaml': 'services:\n  web:\n    image: composelet/busybox:1\n' });
    const result = await runCliCaptured(['drift', directory, '-p', 'drift-unreachable'], {
      env: { PATH: process.env.PATH, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('composelet drift:');
  });

  it('an unknown --format must exit 1 with usage', async () => {
    const directory = writeManifestTree({ 'compose.yaml': 'services:\n  web:\n    image: composelet/busybox:1\n' });
    const result = await runCliCaptured(['drift', directory, '-p', 'drift-format', '--format', 'yaml'], { env: { PATH: process.env.PATH } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--format must be one of json, markdown');
  });
});
