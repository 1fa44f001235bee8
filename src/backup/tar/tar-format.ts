// The tar format, as much as backups need: ustar headers (with base-256 numbers for big sizes), PAX
// extended headers ('x') and GNU long names ('L', 'K'), which is what the engine's archive API writes.

export const BLOCK_SIZE = 512;
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK_SIZE * 2);

export interface TarEntry {
  /** Full name: PAX path or GNU long name over ustar prefix/name. */
  name: string;
  /** '0' file, '1' hard link, '2' symlink, '5' directory, ... */
  type: string;
  size: number;
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkName: string;
  uname: string;
  gname: string;
  devMajor: number;
  devMinor: number;
  /** PAX records of the entry (mtime with fractions, xattrs, ...), path and linkpath included. */
  pax: Record<string, string>;
}

export function isZeroBlock(block: Buffer): boolean {
  for (const byte of block) if (byte !== 0) return false;
  return true;
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? field.length : end).toString('utf8');
}

function number(block: Buffer, start: number, length: number): number {
  const field = block.subarray(start, start + length);
  if ((field[0]! & 0x80) !== 0) {
    let value = field[0]! & 0x7f;
    for (let index = 1; index < field.length; index++) value = value * 256 + field[index]!;
    return value;
  }
  const digits = text(block, start, length).trim();
  return digits === '' ? 0 : Number.parseInt(digits, 8);
}

export function checksumOf(block: Buffer): number {
  let sum = 0;
  for (let index = 0; index < BLOCK_SIZE; index++) sum += index >= 148 && index < 156 ? 32 : block[index]!;
  return sum;
}

/** Reads a header block; throws on a bad checksum (not a tar, or corrupt). */
export function decodeHeader(block: Buffer): TarEntry {
  if (number(block, 148, 8) !== checksumOf(block)) throw new Error('tar header checksum mismatch: the archive is corrupt');
  const prefix = text(block, 257, 5) === 'ustar' ? text(block, 345, 155) : '';
  const name = text(block, 0, 100);
  return {
    name: prefix ? `${prefix}/${name}` : name,
    type: text(block, 156, 1) || '0',
    size: number(block, 124, 12),
    mode: number(block, 100, 8),
    uid: number(block, 108, 8),
    gid: number(block, 116, 8),
    mtime: number(block, 136, 12),
    linkName: text(block, 157, 100),
    uname: text(block, 265, 32),
    gname: text(block, 297, 32),
    devMajor: number(block, 329, 8),
    devMinor: number(block, 337, 8),
    pax: {},
  };
}

export function parsePaxRecords(body: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < body.length) {
    const space = body.indexOf(32, offset);
    if (space < 0) break;
    const length = Number.parseInt(body.subarray(offset, space).toString('ascii'), 10);
    if (!Number.isFinite(length) || length <= 0) throw new Error('malformed PAX record in the archive');
    const record = body.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    if (equals > 0) records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let length = bodyLength + 1;
  while (bodyLength + String(length).length !== length) length = bodyLength + String(length).length;
  return `${length}${body}`;
}

function writeText(block: Buffer, start: number, length: number, value: string): void {
  block.write(value, start, Math.min(length, Buffer.byteLength(value)), 'utf8');
}

function writeNumber(block: Buffer, start: number, length: number, value: number): void {
  const octal = value.toString(8);
  if (octal.length <= length - 1) {
    block.write(octal.padStart(length - 1, '0'), start, length - 1, 'ascii');
    return;
  }
  let remaining = value; // base-256 for values too big for octal (files over 8 GiB)
  for (let index = length - 1; index > 0; index--) {
    block[start + index] = remaining % 256;
    remaining = Math.floor(remaining / 256);
  }
  block[start] = 0x80;
}

function fitsUstar(value: string): boolean {
  return Buffer.byteLength(value) <= 100 && /^[\x20-\x7e]*$/.test(value);
}

function headerBlock(entry: TarEntry, name: string, linkName: string): Buffer {
  const block = Buffer.alloc(BLOCK_SIZE);
  writeText(block, 0, 100, name);
  writeNumber(block, 100, 8, entry.mode & 0o7777);
  writeNumber(block, 108, 8, entry.uid);
  writeNumber(block, 116, 8, entry.gid);
  writeNumber(block, 124, 12, entry.size);
  writeNumber(block, 136, 12, Math.max(0, Math.floor(entry.mtime)));
  writeText(block, 156, 1, entry.type);
  writeText(block, 157, 100, linkName);
  block.write('ustar\x0000', 257, 8, 'binary');
  writeText(block, 265, 32, entry.uname);
  writeText(block, 297, 32, entry.gname);
  writeNumber(block, 329, 8, entry.devMajor);
  writeNumber(block, 337, 8, entry.devMinor);
  writeNumber(block, 148, 7, checksumOf(block));
  return block;
}

/** The header blocks of an entry: a PAX header first when a name does not fit ustar or PAX records exist. */
export function encodeHeader(entry: TarEntry): Buffer {
  const records: Record<string, string> = { ...entry.pax };
  delete records.path;
  delete records.linkpath;
  if (!fitsUstar(entry.name)) records.path = entry.name;
  if (!fitsUstar(entry.linkName)) records.linkpath = entry.linkName;
  const main = headerBlock(entry, fitsUstar(entry.name) ? entry.name : entry.name.slice(-100), fitsUstar(entry.linkName) ? entry.linkName : '');
  if (Object.keys(records).length === 0) return main;
  const body = Buffer.from(Object.keys(records).sort().map((key) => paxRecord(key, records[key]!)).join(''), 'utf8');
  const paxHeader = headerBlock({ ...entry, type: 'x', size: body.length, linkName: '', pax: {} }, 'PaxHeader', '');
  return Buffer.concat([paxHeader, body, Buffer.alloc(paddingOf(body.length)), main]);
}

export function paddingOf(size: number): number {
  return (BLOCK_SIZE - (size % BLOCK_SIZE)) % BLOCK_SIZE;
}
