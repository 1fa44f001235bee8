import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, linkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { frame, StreamDemux } from '../../src/backup/stream-demux.js';
import { renamedHeader } from '../../src/backup/strategies/files-strategy.js';
import { forEachTarEntry } from '../../src/backup/tar/tar-read.js';
import { fileHeader, singleFileTar, tarArchive } from '../../src/backup/tar/tar-write.js';

// The streams backups are made of: the engine's stdout/stderr framing, and tar (through tar-stream) read
// and written the way the engine's archive API and GNU tar do, checked against GNU tar itself.

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

async function parse(archive: Buffer, chunkSize = 4096): Promise<Array<{ name: string; type: string; linkName: string; content: string }>> {
  const entries: Array<{ name: string; type: string; linkName: string; content: string }> = [];
  const chunks = Array.from({ length: Math.ceil(archive.length / chunkSize) }, (_, index) => archive.subarray(index * chunkSize, (index + 1) * chunkSize));
  await forEachTarEntry(Readable.from(chunks), async (header, content) => {
    entries.push({ name: header.name, type: header.type ?? 'file', linkName: header.linkname ?? '', content: (await collect(content)).toString('utf8') });
  });
  return entries;
}

const LONG_NAME = `${'deep-directory-name/'.repeat(6)}a-file-whose-path-is-longer-than-a-hundred-bytes.txt`;

function sampleTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'composelet-tar-'));
  mkdirSync(join(root, 'app', LONG_NAME, '..'), { recursive: true });
  writeFileSync(join(root, 'app', LONG_NAME), 'long\n');
  writeFileSync(join(root, 'app', 'config.yml'), 'port: 8080\n');
  writeFileSync(join(root, 'app', 'empty'), '');
  symlinkSync('config.yml', join(root, 'app', 'current'));
  linkSync(join(root, 'app', 'config.yml'), join(root, 'app', 'hardlink'));
  return root;
}

describe('reading tar (forEachTarEntry)', () => {
  it.each(['posix', 'gnu', 'ustar'])('must read what GNU tar writes in %s format, long names included', async (format) => {
    const root = sampleTree();
    const names = format === 'ustar' ? ['app/config.yml', 'app/empty', 'app/current', 'app/hardlink'] : ['app'];
    const archive = execFileSync('tar', [`--format=${format}`, '-C', root, '-cf', '-', ...names]);
    for (const chunkSize of [1, 511, 4096]) {
      const entries = await parse(archive, chunkSize);
      const byName = Object.fromEntries(entries.map((entry) => [entry.name.replace(/\/$/, ''), entry]));
      expect(byName['app/config.yml']?.content).toBe('port: 8080\n');
      expect(byName['app/empty']?.content).toBe('');
      expect(byName['app/current']).toMatchObject({ type: 'symlink', linkName: 'config.yml' });
      expect(byName['app/hardlink']).toMatchObject({ type: 'link', linkName: 'app/config.yml' });
      if (format !== 'ustar') expect(byName[`app/${LONG_NAME}`]?.content).toBe('long\n');
    }
  });

  it('a truncated archive must be an error', async () => {
    const archive = execFileSync('tar', ['-C', sampleTree(), '-cf', '-', 'app']);
    await expect(parse(archive.subarray(0, 1536))).rejects.toThrow('truncated');
  });

  it('a corrupt header must be an error', async () => {
    const archive = Buffer.from(execFileSync('tar', ['-C', sampleTree(), '-cf', '-', 'app']));
    archive[10] = archive[10]! ^ 0xff;
    await expect(parse(archive)).rejects.toThrow('corrupt');
  });
});

describe('merging renamed archives (files backups)', () => {
  it.each(['posix', 'gnu'])('archives (%s) merged with renamed entries must extract with GNU tar under the new names', async (format) => {
    const root = sampleTree();
    const first = execFileSync('tar', [`--format=${format}`, '-C', root, '-cf', '-', 'app']);
    const second = execFileSync('tar', ['-C', join(root, 'app'), '-cf', '-', 'config.yml']);
    const merged = await collect(
      tarArchive(async (add) => {
        for (const [archive, prefix] of [[first, 'etc'], [second, 'srv/content']] as const) {
          await forEachTarEntry(Readable.from([archive]), (header, content) => add(renamedHeader(header, (name) => `${prefix}/${name}`), content));
        }
      }),
    );
    const target = mkdtempSync(join(tmpdir(), 'composelet-untar-'));
    execFileSync('tar', ['-C', target, '-xf', '-'], { input: merged });
    expect(readFileSync(join(target, 'etc/app/config.yml'), 'utf8')).toBe('port: 8080\n');
    expect(readFileSync(join(target, 'etc/app/hardlink'), 'utf8')).toBe('port: 8080\n');
    expect(readFileSync(join(target, 'etc/app', LONG_NAME), 'utf8')).toBe('long\n');
    expect(readFileSync(join(target, 'etc/app/current'), 'utf8')).toBe('port: 8080\n');
    expect(readFileSync(join(target, 'srv/content/config.yml'), 'utf8')).toBe('port: 8080\n');
  });
});

describe('singleFileTar', () => {
  it('must hold the file with its owner and mode, readable by GNU tar', async () => {
    const archive = await collect(singleFileTar(fileHeader({ name: 'dump.rdb', size: 11, mode: 0o640, uid: 100, gid: 102 }), Readable.from([Buffer.from('REDIS0010xy')])));
    expect(execFileSync('tar', ['-xOf', '-', 'dump.rdb'], { input: archive }).toString()).toBe('REDIS0010xy');
    expect(execFileSync('tar', ['--numeric-owner', '-tvf', '-'], { input: archive }).toString()).toMatch(/^-rw-r----- 100\/102\s+11 /);
  });

  it('content of another length than announced must be an error', async () => {
    await expect(collect(singleFileTar(fileHeader({ name: 'dump.rdb', size: 5 }), Readable.from([Buffer.from('abc')])))).rejects.toThrow('not the 5 bytes');
  });
});

describe('StreamDemux', () => {
  it('stdout must pass through and stderr must go aside, however the frames are split', async () => {
    const frames = fc.array(fc.record({ stream: fc.constantFrom<1 | 2>(1, 2), payload: fc.uint8Array({ maxLength: 300 }) }), { maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(frames, fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 10 }), async (generated, cuts) => {
        const wire = Buffer.concat(generated.map((entry) => frame(entry.stream, Buffer.from(entry.payload))));
        const chunks: Buffer[] = [];
        for (let offset = 0, index = 0; offset < wire.length; index++) {
          const size = cuts[index % cuts.length]!;
          chunks.push(wire.subarray(offset, offset + size));
          offset += size;
        }
        const stderr: Buffer[] = [];
        const stdout = await collect(Readable.from(chunks).pipe(new StreamDemux((chunk) => stderr.push(Buffer.from(chunk)))));
        expect(stdout).toEqual(Buffer.concat(generated.filter((entry) => entry.stream === 1).map((entry) => Buffer.from(entry.payload))));
        expect(Buffer.concat(stderr)).toEqual(Buffer.concat(generated.filter((entry) => entry.stream === 2).map((entry) => Buffer.from(entry.payload))));
      }),
    );
  });

  it('a stream cut inside a frame must be an error', async () => {
    await expect(collect(Readable.from([frame(1, 'hello').subarray(0, 10)]).pipe(new StreamDemux(() => undefined)))).rejects.toThrow('middle of a frame');
  });
});
