import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeJobOutput, hasEndMarker } from './job-output.js';
import { backupJobSpec, JOB_SCRIPT, type JobSpecInput } from './job-spec.js';

// The one-off backup job: its spec carries the database's references and never a secret value, and what its
// script prints is read back byte for byte, or refused when truncated or damaged.

const execFileAsync = promisify(execFile);

/** The job's script run here by sh, as the job's container runs it. */
async function runScript(command: string[], environment: Record<string, string> = {}): Promise<string> {
  const { stdout } = await execFileAsync('sh', ['-c', JOB_SCRIPT, 'composelet-backup', ...command], { env: { PATH: process.env.PATH, ...environment }, encoding: 'latin1' });
  return stdout;
}

describe('the backup job script and its output', () => {
  it.each<[string, string[], number, Buffer]>([
    ['a text dump', ['printf', 'hello\\n'], 0, Buffer.from('hello\n')],
    ['binary bytes, longer than a base64 line', ['sh', '-c', 'head -c 3000 /dev/zero | tr "\\0" "\\377"'], 0, Buffer.alloc(3000, 0xff)],
    ['an empty dump', ['true'], 0, Buffer.alloc(0)],
    ["a failing dumper's status", ['sh', '-c', 'printf partial; exit 3'], 3, Buffer.from('partial')],
  ])('%s must come back exactly', async (_name, command, exitCode, content) => {
    const decoded = decodeJobOutput(await runScript(command));
    expect(decoded.exitCode).toBe(exitCode);
    expect(decoded.content.equals(content)).toBe(true);
  });

  it('must hand a password from POSTGRES_PASSWORD_FILE to the dumper as PGPASSWORD, not on a command line', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const file = `${mkdtempSync('/tmp/swbak-')}/password`;
    writeFileSync(file, 's3cret');
    const decoded = decodeJobOutput(await runScript(['sh', '-c', 'printf "%s" "$PGPASSWORD"'], { POSTGRES_PASSWORD_FILE: file }));
    expect(decoded.content.toString()).toBe('s3cret');
  });

  const good = (content: string) => `composelet-backup-begin\n${Buffer.from(content).toString('base64')}\ncomposelet-backup-end 0 ${createHash('sha256').update(content).digest('hex')} ${content.length}\n`;
  it.each<[string, string, string]>([
    ['no start marker', 'pg_dump: error\n', 'the backup job printed no dump (its output has no start marker)'],
    ['no end marker (truncated)', good('abcdef').split('\n').slice(0, 2).join('\n'), "the backup job's output ends before its dump does (no end marker)"],
    ['a damaged byte', good('abcdef').replace('YWJjZGVm', 'YWJjZGVn'), 'the dump read back from the backup job is damaged: SHA-256'],
    ['a missing line', good('abcdef').replace('YWJjZGVm', 'YWJj'), 'the dump read back from the backup job has 3 bytes, the job wrote 6'],
  ])('%s must be refused', (_name, output, message) => {
    expect(() => decodeJobOutput(output)).toThrow(message);
  });

  it('knows when the output is complete', () => {
    expect(hasEndMarker(good('x'))).toBe(true);
    expect(hasEndMarker(good('x').split('\n').slice(0, 2).join('\n'))).toBe(false);
  });
});

describe('backupJobSpec', () => {
  const input: JobSpecInput = {
    projectName: 'shop',
    service: 'db',
    databaseSpec: {
      Name: 'shop_db',
      Labels: { 'io.composelet.managed': 'true' },
      TaskTemplate: {
        ContainerSpec: {
          Image: 'composelet/postgres:15',
          Env: ['POSTGRES_DB=shop', 'POSTGRES_PASSWORD_FILE=/run/secrets/db_password'],
          Secrets: [{ SecretName: 'shop_db_password_0123456789ab', File: { Name: 'db_password', UID: '0', GID: '0', Mode: 0o400 } }],
        },
        Networks: [{ Target: 'net-id', Aliases: ['db'] }],
      },
      Mode: { Replicated: { Replicas: 1 } },
    },
    task: { taskId: 't1', containerId: 'c1', nodeId: 'node-2', nodeHostname: 'worker-2', image: 'composelet/postgres:15', labels: {}, address: '10.0.1.7', createdAt: '' },
    command: ['sh', '-c', 'exec pg_dump -U postgres shop'],
    user: null,
    owner: '42@controller',
    suffix: 'abcd',
  };

  it('must run the command once, on the database\'s node and networks, without answering for the database', () => {
    const spec = backupJobSpec(input);
    expect(spec.Name).toBe('shop_db-backup-abcd');
    expect(spec.Mode).toEqual({ ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } });
    expect(spec.TaskTemplate.RestartPolicy).toEqual({ Condition: 'none' });
    expect(spec.TaskTemplate.Placement).toEqual({ Constraints: ['node.id == node-2'] });
    expect(spec.TaskTemplate.Networks).toEqual([{ Target: 'net-id' }]);
    expect(spec.TaskTemplate.ContainerSpec.Command).toEqual(['sh', '-c', JOB_SCRIPT, 'composelet-backup', 'sh', '-c', 'exec pg_dump -U postgres shop']);
    expect(spec.TaskTemplate.ContainerSpec.Env).toEqual(['POSTGRES_DB=shop', 'POSTGRES_PASSWORD_FILE=/run/secrets/db_password', 'PGHOST=10.0.1.7', 'COMPOSELET_BACKUP_HOST=10.0.1.7']);
  });

  it("must reach the password through the database's own secret reference, and be labelled as composelet's helper", () => {
    const spec = backupJobSpec(input);
    expect(spec.TaskTemplate.ContainerSpec.Secrets).toEqual(input.databaseSpec.TaskTemplate.ContainerSpec.Secrets);
    expect(spec.Labels).toEqual({ 'io.composelet.backup-helper': 'shop', 'io.composelet.backup-helper.owner': '42@controller' });
    expect(spec.Labels['io.composelet.managed']).toBeUndefined();
  });

  it('must refuse a task without an overlay address', () => {
    expect(() => backupJobSpec({ ...input, task: { ...input.task, address: null } })).toThrow('the task of service "db" has no address on an overlay network');
  });
});
