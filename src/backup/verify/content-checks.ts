import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { ArtifactManifest, VerificationCheck } from '../artifacts/manifest.js';
import { forEachTarEntry } from '../tar/tar-read.js';

// Checks that need only the file: its checksum against the manifest, then one streamed pass that
// decompresses it (gzip integrity) and reads its format (RDB magic and version, a full tar listing).

export async function checksumCheck(path: string, manifest: ArtifactManifest): Promise<VerificationCheck> {
  const started = Date.now();
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(createReadStream(path), new Writable({ write: (chunk: Buffer, _encoding, callback) => (hash.update(chunk), (size += chunk.length), callback()) }));
  const digest = hash.digest('hex');
  const ok = digest === manifest.sha256 && size === manifest.size;
  const detail = ok ? `sha256 ${digest.slice(0, 12)}…, ${size} bytes` : `expected sha256 ${manifest.sha256?.slice(0, 12)}… and ${manifest.size} bytes, found ${digest.slice(0, 12)}… and ${size} bytes`;
  return { name: 'checksum', ok, detail, durationMs: Date.now() - started };
}

/** The decompressed content of an artifact, as a stream. */
export function contentStream(path: string, manifest: Pick<ArtifactManifest, 'compress'>): Readable {
  const file = createReadStream(path);
  if (manifest.compress !== 'gzip') return file;
  const gunzip = createGunzip();
  file.once('error', (error) => gunzip.destroy(error));
  gunzip.once('close', () => file.destroy());
  return file.pipe(gunzip);
}

/** Reads the content once: decompression, size, and the strategy's format. */
export async function contentChecks(path: string, manifest: ArtifactManifest): Promise<VerificationCheck[]> {
  const started = Date.now();
  const inspector = formatInspector(manifest);
  let contentSize = 0;
  const counter = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      contentSize += chunk.length;
      inspector.write(chunk, callback);
    },
    final(callback) {
      inspector.end(callback);
    },
  });
  const stages = manifest.compress === 'gzip' ? [createReadStream(path), createGunzip(), counter] : [createReadStream(path), counter];
  try {
    await pipeline(stages as unknown as [NodeJS.ReadableStream, NodeJS.WritableStream]);
  } catch (error) {
    return [{ name: manifest.compress === 'gzip' ? 'gzip' : 'read', ok: false, detail: (error as Error).message, durationMs: Date.now() - started }];
  }
  const checks: VerificationCheck[] = [];
  const sizeOk = manifest.contentSize === null || manifest.contentSize === contentSize;
  checks.push({
    name: manifest.compress === 'gzip' ? 'gzip' : 'read',
    ok: sizeOk,
    detail: sizeOk ? `${contentSize} bytes of content` : `${contentSize} bytes of content, the manifest says ${manifest.contentSize}`,
    durationMs: Date.now() - started,
  });
  const format = inspector.result();
  if (format) checks.push({ ...format, durationMs: Date.now() - started });
  return checks;
}

interface FormatInspector extends Writable {
  result(): Omit<VerificationCheck, 'durationMs'> | null;
}

function formatInspector(manifest: ArtifactManifest): FormatInspector {
  if (manifest.strategy === 'redis') return rdbInspector();
  if (manifest.strategy === 'volume' || manifest.strategy === 'files') return tarInspector();
  return Object.assign(new Writable({ write: (_chunk, _encoding, callback) => callback() }), { result: () => null });
}

/** "REDIS" and a four-digit RDB version open every RDB file. */
function rdbInspector(): FormatInspector {
  let head = Buffer.alloc(0);
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (head.length < 9) head = Buffer.concat([head, chunk.subarray(0, 9 - head.length)]);
      callback();
    },
  });
  return Object.assign(writable, {
    result() {
      const text = head.toString('latin1');
      const match = /^REDIS(\d{4})$/.exec(text);
      const version = match ? Number(match[1]) : NaN;
      if (!match || version < 1 || version > 99) return { name: 'rdb', ok: false, detail: 'no RDB header ("REDIS" and a version) at the start' };
      return { name: 'rdb', ok: true, detail: `RDB version ${version}` };
    },
  });
}

/** Reads the whole archive (every header checksum, every entry's length, no end inside an entry). */
function tarInspector(): FormatInspector {
  const input = new PassThrough();
  let entries = 0;
  let error: Error | null = null;
  const reading = forEachTarEntry(input, () => {
    entries += 1;
  }).catch((failure: Error) => {
    error = failure;
    input.resume();
  });
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (error) return callback();
      input.write(chunk, () => callback());
    },
    final(callback) {
      input.end();
      void reading.then(() => callback());
    },
  });
  return Object.assign(writable, {
    result: () => (error ? { name: 'tar', ok: false, detail: (error as Error).message } : { name: 'tar', ok: true, detail: `${entries} entries` }),
  });
}
