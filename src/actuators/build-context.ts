import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { canonicalJson } from '../desired-state/canonical-json.js';
import type { BuildSpec } from '../desired-state/model.js';

// A build's inputs: the context directory (minus what .dockerignore leaves out), the Dockerfile path,
// args and target. The hash says "rebuild or not" (stamped on the image as a label); the tar is what the
// engine builds from. Both walk the same entry list, so what is hashed is exactly what is sent.

export interface ContextEntry {
  /** Relative to the context, with `/` separators. */
  relativePath: string;
  type: 'file' | 'directory' | 'symlink';
  /** Permission bits (mode & 0o7777). */
  mode: number;
  size: number;
  mtimeSeconds: number;
  linkTarget: string | null;
  /** The file's bytes when it is not read from the context directory (an inline Dockerfile). */
  content?: Buffer;
}

interface IgnoreRule {
  pattern: RegExp;
  negated: boolean;
}

/** .dockerignore lines: `#` comments, exact names, `*`, `?` and `**` globs, directory prefixes, `!`. */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    let line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1).trim();
    const cleaned = posix.normalize(line).replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
    if (cleaned === '' || cleaned === '.') continue;
    rules.push({ pattern: globToRegExp(cleaned), negated });
  }
  return rules;
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let index = 0; index < glob.length; index++) {
    const character = glob[index]!;
    if (glob.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (glob.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (character === '*') source += '[^/]*';
    else if (character === '?') source += '[^/]';
    else if (character === '\\' && index + 1 < glob.length) source += escapeRegExp(glob[++index]!);
    else source += escapeRegExp(character);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Last matching rule wins; a rule matching a directory also matches everything under it. */
export function isIgnored(rules: readonly IgnoreRule[], relativePath: string): boolean {
  const segments = relativePath.split('/');
  const candidates = segments.map((_, index) => segments.slice(0, index + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) ignored = !rule.negated;
  }
  return ignored;
}

/** Every entry the build sends, sorted by path. The Dockerfile and .dockerignore are always sent, as the
 * docker CLI does. */
export async function listContextEntries(build: BuildSpec): Promise<ContextEntry[]> {
  const ignoreText = await readFile(join(build.context, '.dockerignore'), 'utf8').catch(() => '');
  const rules = parseDockerignore(ignoreText);
  const hasNegations = rules.some((rule) => rule.negated);
  const dockerfile = posix.normalize(build.dockerfile).replace(/^\.\//, '');
  const alwaysSent = (relativePath: string) => relativePath === dockerfile || relativePath === '.dockerignore';
  const entries: ContextEntry[] = [];

  async function walk(relativeDirectory: string): Promise<void> {
    const names = (await readdir(join(build.context, relativeDirectory))).sort();
    for (const name of names) {
      const relativePath = relativeDirectory === '' ? name : `${relativeDirectory}/${name}`;
      const absolutePath = join(build.context, relativePath);
      const stats = await lstat(absolutePath);
      const ignored = isIgnored(rules, relativePath) && !alwaysSent(relativePath);
      const base = { relativePath, mode: stats.mode & 0o7777, mtimeSeconds: Math.floor(stats.mtimeMs / 1000) };
      if (stats.isDirectory()) {
        if (!ignored) entries.push({ ...base, type: 'directory', size: 0, linkTarget: null });
        if (!ignored || hasNegations || dockerfile.startsWith(`${relativePath}/`)) await walk(relativePath);
      } else if (ignored) {
        continue;
      } else if (stats.isFile()) {
        entries.push({ ...base, type: 'file', size: stats.size, linkTarget: null });
      } else if (stats.isSymbolicLink()) {
        entries.push({ ...base, type: 'symlink', size: 0, linkTarget: await readlink(absolutePath) });
      }
    }
  }

  await walk('');
  if (build.dockerfileInline !== undefined) {
    // `dockerfile_inline`: sent as a file of the context, as the docker CLI adds a Dockerfile read from stdin.
    const content = Buffer.from(build.dockerfileInline);
    const kept = entries.filter((entry) => entry.relativePath !== dockerfile);
    kept.push({ relativePath: dockerfile, type: 'file', mode: 0o644, size: content.length, mtimeSeconds: 0, linkTarget: null, content });
    entries.splice(0, entries.length, ...kept);
  }
  return entries.sort((left, right) => (left.relativePath < right.relativePath ? -1 : left.relativePath > right.relativePath ? 1 : 0));
}

/** sha256 over the sent entries (path, type, mode, contents or link target), the Dockerfile path, and
 * the canonical JSON of args and target. Modification times are left out: touching a file is no change. */
export async function buildContextHash(build: BuildSpec): Promise<string> {
  const hash = createHash('sha256');
  hash.update('composelet build context v1\0');
  for (const entry of await listContextEntries(build)) {
    hash.update(`${entry.type}\0${entry.relativePath}\0${entry.mode.toString(8)}\0`);
    if (entry.type === 'symlink') hash.update(`${entry.linkTarget ?? ''}\0`);
    if (entry.type === 'file') {
      hash.update(`${entry.size}\0`);
      if (entry.content) hash.update(entry.content);
      else await hashFile(hash, join(build.context, entry.relativePath));
    }
  }
  // Labels only when given, so a build without them keeps the hash it had.
  const labels = build.labels && Object.keys(build.labels).length > 0 ? { labels: build.labels } : {};
  hash.update(`\0dockerfile\0${build.dockerfile}\0${canonicalJson({ args: build.args, target: build.target, ...labels })}`);
  return hash.digest('hex');
}

async function hashFile(hash: Hash, absolutePath: string): Promise<void> {
  for await (const chunk of createReadStream(absolutePath)) hash.update(chunk as Buffer);
}

/** A tar (ustar, with pax headers for long names) of the context, owned by root as `docker build` sends
 * it. Errors reading the context surface as errors on the stream. */
export function buildContextTar(build: BuildSpec): Readable {
  return Readable.from(tarBlocks(build), { objectMode: false });
}

async function* tarBlocks(build: BuildSpec): AsyncGenerator<Buffer> {
  for (const entry of await listContextEntries(build)) {
    const name = entry.type === 'directory' ? `${entry.relativePath}/` : entry.relativePath;
    const linkTarget = entry.linkTarget ?? '';
    const pax: Record<string, string> = {};
    if (Buffer.byteLength(name) > 100) pax['path'] = name;
    if (Buffer.byteLength(linkTarget) > 100) pax['linkpath'] = linkTarget;
    if (Object.keys(pax).length > 0) {
      const records = Buffer.from(Object.entries(pax).map(([key, value]) => paxRecord(key, value)).join(''));
      yield tarHeader({ name: 'PaxHeader', mode: 0o644, size: records.length, mtimeSeconds: 0, typeFlag: 'x', linkTarget: '' });
      yield padded(records);
    }
    const typeFlag = entry.type === 'file' ? '0' : entry.type === 'directory' ? '5' : '2';
    yield tarHeader({ name, mode: entry.mode, size: entry.size, mtimeSeconds: entry.mtimeSeconds, typeFlag, linkTarget });
    if (entry.content) yield padded(entry.content);
    else if (entry.type === 'file') yield* fileBlocks(join(build.context, entry.relativePath), entry.size);
  }
  yield Buffer.alloc(1024);
}

/** Exactly `size` bytes (the header promised them) padded to 512, even if the file changed meanwhile. */
async function* fileBlocks(absolutePath: string, size: number): AsyncGenerator<Buffer> {
  let written = 0;
  for await (const chunk of createReadStream(absolutePath)) {
    const part = (chunk as Buffer).subarray(0, Math.max(0, size - written));
    written += part.length;
    if (part.length > 0) yield part;
  }
  const remainder = (512 - (size % 512)) % 512;
  yield Buffer.alloc(size - written + remainder);
}

interface HeaderFields {
  name: string;
  mode: number;
  size: number;
  mtimeSeconds: number;
  typeFlag: '0' | '2' | '5' | 'x';
  linkTarget: string;
}

function tarHeader(fields: HeaderFields): Buffer {
  const header = Buffer.alloc(512);
  const text = (value: string, offset: number, length: number) =>
    Buffer.from(value).subarray(0, length).copy(header, offset);
  const octal = (value: number, offset: number, length: number) =>
    text(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length);
  text(fields.name, 0, 100);
  octal(fields.mode, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  octal(fields.size, 124, 12);
  octal(fields.mtimeSeconds, 136, 12);
  header.fill(' ', 148, 156);
  text(fields.typeFlag, 156, 1);
  text(fields.linkTarget, 157, 100);
  text('ustar\u000000', 257, 8);
  text('root', 265, 32);
  text('root', 297, 32);
  let checksum = 0;
  for (const byte of header) checksum += byte;
  text(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return header;
}

/** "<length> key=value\n", where length counts the whole record including its own digits. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

function padded(block: Buffer): Buffer {
  return Buffer.concat([block, Buffer.alloc((512 - (block.length % 512)) % 512)]);
}
