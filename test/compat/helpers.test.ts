import { describe, expect, it } from 'vitest';
import type { Difference } from './evaluate.js';
import { legacyPort, legacyVolume, normalFormOfLegacyConfig } from './legacy-config.js';
import { portablePath } from './normal-form.js';
import { checkKnownDifferences, updateKnownDifferences, type KnownDifference } from './score.js';

describe('docker-compose 1.29 output in the normal form', () => {
  it('must leave out services whose profiles are inactive, as Compose v2 config and up do', () => {
    const config = { services: { web: { image: 'nginx' }, debug: { image: 'busybox', profiles: ['debug'] } } };
    expect(Object.keys(normalFormOfLegacyConfig(config, '/root/case'))).toEqual(['web']);
  });

  it.each([
    [{ target: 80 }, [{ hostIp: '', hostPort: null, containerPort: '80', protocol: 'tcp' }]],
    [{ target: 80, published: 8080, protocol: 'udp', host_ip: '127.0.0.1' }, [{ hostIp: '127.0.0.1', hostPort: '8080', containerPort: '80', protocol: 'udp' }]],
    [{ target: 80, published: '6005-6015' }, [{ hostIp: '', hostPort: '6005-6015', containerPort: '80', protocol: 'tcp' }]],
    ['127.0.0.1:8001:8000/tcp', [{ hostIp: '127.0.0.1', hostPort: '8001', containerPort: '8000', protocol: 'tcp' }]],
    ['9000', [{ hostIp: '', hostPort: null, containerPort: '9000', protocol: 'tcp' }]],
    [
      '8000-8001:9000-9001/udp',
      [
        { hostIp: '', hostPort: '8000', containerPort: '9000', protocol: 'udp' },
        { hostIp: '', hostPort: '8001', containerPort: '9001', protocol: 'udp' },
      ],
    ],
  ])('port %j must read as %j', (port, expected) => {
    expect(legacyPort(port)).toEqual(expected);
  });

  it.each([
    ['/usr/src/app/node_modules', { type: 'volume', source: null, target: '/usr/src/app/node_modules', readOnly: false }],
    ['staticVol:/usr/share/nginx/html:ro', { type: 'volume', source: 'staticVol', target: '/usr/share/nginx/html', readOnly: true }],
    ['/root/case/static:/html:rw', { type: 'bind', source: './static', target: '/html', readOnly: false }],
    ['/dev/null:/tmp/foo:ro', { type: 'bind', source: '/dev/null', target: '/tmp/foo', readOnly: true }],
    ['.:/text_file.txt:rw', { type: 'bind', source: '.', target: '/text_file.txt', readOnly: false }],
    [{ type: 'tmpfs', target: '/run' }, { type: 'tmpfs', source: null, target: '/run', readOnly: false }],
    [{ type: 'bind', source: './data', target: '/data', read_only: true }, { type: 'bind', source: './data', target: '/data', readOnly: true }],
  ])('volume %j must read as %j', (volume, expected) => {
    expect(legacyVolume(volume, '/root/case', '/root')).toEqual(expected);
  });

  it.each([
    ['/root/case', '.'],
    ['/root/case/a/b', './a/b'],
    ['/root/other', '../other'],
    ['/opt/data', '/opt/data'],
    ['relative', 'relative'],
  ])('path %s must be written %s from /root/case', (path, expected) => {
    expect(portablePath(path, '/root/case', '/root')).toBe(expected);
  });
});

describe('the known-differences list', () => {
  const difference = (file: string, field: string): Difference => ({ file, field, detail: 'x' });
  const known = (file: string, field: string, reason = 'because'): KnownDifference => ({ file, field, reason });

  it('must name a difference it does not list', () => {
    expect(checkKnownDifferences([difference('a.yaml', 'accepted')], []).unlisted).toEqual([difference('a.yaml', 'accepted')]);
  });

  it('must name a listed difference that no longer occurs', () => {
    expect(checkKnownDifferences([], [known('a.yaml', 'accepted')]).stale).toEqual([known('a.yaml', 'accepted')]);
  });

  it('must name an entry without a reason', () => {
    expect(checkKnownDifferences([difference('a.yaml', 'crash')], [known('a.yaml', 'crash', ' ')]).unexplained).toHaveLength(1);
  });

  it('must be rewritten for today, keeping the reasons already written and leaving new ones empty', () => {
    const updated = updateKnownDifferences(
      [difference('b.yaml', 'services.x.ports'), difference('a.yaml', 'accepted'), difference('a.yaml', 'accepted')],
      [known('a.yaml', 'accepted', 'links not supported yet'), known('gone.yaml', 'crash')],
    );
    expect(updated).toEqual([known('a.yaml', 'accepted', 'links not supported yet'), known('b.yaml', 'services.x.ports', '')]);
  });
});
