import { describe, expect, it } from 'vitest';
import type { Mount } from '../model.js';
import { parseTmpfsEntry, parseVolumeShort } from './volumes.js';

const options = { workingDir: '/srv/app', homeDir: '/home/ops' };

function volume(source: string | null, target: string, extra: Partial<Mount> = {}): Mount {
  return { type: 'volume', source, target, readOnly: false, ...extra };
}

function bind(source: string, target: string, extra: Partial<Mount> = {}): Mount {
  return { type: 'bind', source, target, readOnly: false, createHostPath: true, ...extra };
}

describe('parseVolumeShort', () => {
  it.each<[string, Mount]>([
    ['/data', volume(null, '/data')],
    ['/data/', volume(null, '/data')],
    ['db:/var/lib/db', volume('db', '/var/lib/db')],
    ['db_data.v-1:/var/lib/db:ro', volume('db_data.v-1', '/var/lib/db', { readOnly: true })],
    ['db:/data:nocopy', volume('db', '/data', { noCopy: true })],
    ['db:/data:rw,Z', volume('db', '/data', { selinux: 'Z' })],
    ['/var/run/docker.sock:/var/run/docker.sock', bind('/var/run/docker.sock', '/var/run/docker.sock')],
    ['./data:/data', bind('/srv/app/data', '/data')],
    ['.:/app', bind('/srv/app', '/app')],
    ['../shared/:/shared', bind('/srv/shared', '/shared')],
    ['~:/root/home', bind('/home/ops', '/root/home')],
    ['~/.ssh:/root/.ssh:ro', bind('/home/ops/.ssh', '/root/.ssh', { readOnly: true })],
    ['/etc//app/../app:/etc/app:ro,z', bind('/etc/app', '/etc/app', { readOnly: true, selinux: 'z' })],
    ['./src:/src:rshared', bind('/srv/app/src', '/src', { propagation: 'rshared' })],
    ['./src:/src:cached', bind('/srv/app/src', '/src')],
    ['./src:/src:ro,delegated,consistent,ro', bind('/srv/app/src', '/src', { readOnly: true })],
  ])('parseVolumeShort must read %j', (input, mount) => {
    expect(parseVolumeShort(input, options)).toEqual({ ok: true, value: mount });
  });

  it.each<[string, string]>([
    ['', 'empty volume specification'],
    ['data', 'volume target "data" must be an absolute path'],
    ['db:data', 'volume target "data" must be an absolute path'],
    ['/data:ro', 'volume target "ro" must be an absolute path'],
    ['db:/', 'volume target "/" must not be the root directory'],
    ['db:/data:ro:z', 'too many ":" in volume "db:/data:ro:z" (expected [SOURCE:]TARGET[:MODE])'],
    [':/data', 'empty section between ":" in volume ":/data"'],
    ['db:/data:', 'empty section between ":" in volume "db:/data:"'],
    ['db::/data', 'empty section between ":" in volume "db::/data"'],
    [
      '-db:/data',
      'invalid volume name "-db" in "-db:/data": use letters, digits, "_", "." and "-", starting with a letter or digit (a host path starts with "/", "." or "~")',
    ],
    [
      'my volume:/data',
      'invalid volume name "my volume" in "my volume:/data": use letters, digits, "_", "." and "-", starting with a letter or digit (a host path starts with "/", "." or "~")',
    ],
    ['C:\\data:/data', 'volume target "\\data" must be an absolute path'],
    ['~ops/data:/data', 'bind source "~ops/data": "~user" paths are not supported (use "~/" or an absolute path)'],
    ['db:/data:ro,rw', 'volume "db:/data:ro,rw" cannot be both ro and rw'],
    ['db:/data:z,Z', 'volume "db:/data:z,Z" cannot have both z and Z'],
    ['db:/data:ro,', 'empty mode in volume "db:/data:ro,"'],
    ['./a:/a:shared,private', 'volume "./a:/a:shared,private" has more than one propagation (shared, private)'],
    ['db:/data:rprivate', 'propagation "rprivate" in "db:/data:rprivate" applies to bind mounts, not volumes'],
    ['./a:/a:nocopy', 'mode "nocopy" in "./a:/a:nocopy" applies to volumes, not bind mounts'],
    [
      'db:/data:readonly',
      'unknown volume mode "readonly" in "db:/data:readonly" (use ro, rw, z, Z, nocopy, a propagation such as rprivate, or delegated, cached, consistent)',
    ],
  ])('parseVolumeShort must reject %j', (input, error) => {
    expect(parseVolumeShort(input, options)).toEqual({ ok: false, error });
  });
});

describe('parseTmpfsEntry', () => {
  it.each<[string, { target: string; options: string }]>([
    ['/run', { target: '/run', options: '' }],
    ['/run/', { target: '/run', options: '' }],
    ['/var//cache', { target: '/var/cache', options: '' }],
    ['/run:size=64m', { target: '/run', options: 'size=64m' }],
    ['/run:size=64m,mode=1777', { target: '/run', options: 'size=64m,mode=1777' }],
    ['/tmp:rw,noexec,nosuid', { target: '/tmp', options: 'rw,noexec,nosuid' }],
  ])('parseTmpfsEntry must read %j', (input, entry) => {
    expect(parseTmpfsEntry(input)).toEqual({ ok: true, value: entry });
  });

  it.each<[string, string]>([
    ['', 'empty tmpfs entry'],
    ['run', 'tmpfs target "run" must be an absolute path'],
    ['run:size=64m', 'tmpfs target "run" must be an absolute path'],
    [':size=64m', 'tmpfs target "" must be an absolute path'],
    ['/', 'tmpfs target "/" must not be the root directory'],
    ['/run:', 'empty option in tmpfs entry "/run:" (write TARGET:OPTION,OPTION such as "/run:size=64m")'],
    ['/run:size=64m,', 'empty option in tmpfs entry "/run:size=64m," (write TARGET:OPTION,OPTION such as "/run:size=64m")'],
  ])('parseTmpfsEntry must reject %j', (input, error) => {
    expect(parseTmpfsEntry(input)).toEqual({ ok: false, error });
  });
});
