import { describe, expect, it } from 'vitest';
import type { DeviceMapping, ServiceLink, VolumesFrom } from '../model.js';
import { isCdiDeviceName, parseDevice, type DeviceLongSyntax } from './devices.js';
import { parsePullPolicy, type ParsedPullPolicy } from './pull-policy.js';
import { parseLink, parseVolumesFrom } from './references.js';

// The small syntaxes of links, volumes_from, devices and pull_policy, read as compose-go reads them.

const HOUR_NS = 3600e9;

describe('parseLink', () => {
  it.each<[string, ServiceLink]>([
    ['db', { service: 'db', alias: 'db' }],
    ['db:database', { service: 'db', alias: 'database' }],
    ['my-db.1:main_db', { service: 'my-db.1', alias: 'main_db' }],
  ])('must read %j', (input, link) => {
    expect(parseLink(input)).toEqual({ ok: true, value: link });
  });

  it.each<[string, string]>([
    ['db:a:b', 'invalid link "db:a:b": use "SERVICE" or "SERVICE:ALIAS"'],
    [':alias', 'invalid link ":alias": "" is not a service name'],
    ['db:', 'invalid link "db:": "" is not a valid alias'],
  ])('must reject %j', (input, error) => {
    expect(parseLink(input)).toEqual({ ok: false, error });
  });
});

describe('parseVolumesFrom', () => {
  it.each<[string, VolumesFrom]>([
    ['data', { kind: 'service', name: 'data', readOnly: false }],
    ['data:ro', { kind: 'service', name: 'data', readOnly: true }],
    ['data:rw', { kind: 'service', name: 'data', readOnly: false }],
    ['service:data:ro', { kind: 'service', name: 'data', readOnly: true }],
    ['container:legacy', { kind: 'container', name: 'legacy', readOnly: false }],
    ['container:legacy:ro', { kind: 'container', name: 'legacy', readOnly: true }],
  ])('must read %j', (input, source) => {
    expect(parseVolumesFrom(input)).toEqual({ ok: true, value: source });
  });

  it.each<[string, string]>([
    ['data:rx', 'invalid volumes_from "data:rx": the mode must be "ro" or "rw", not "rx"'],
    ['container:', 'invalid volumes_from "container:": "" is not a container name'],
    ['container', 'invalid volumes_from "container": "container:" needs a name'],
    ['container:a:ro:x', 'invalid volumes_from "container:a:ro:x": use "SERVICE[:ro|rw]" or "container:NAME[:ro|rw]"'],
  ])('must reject %j', (input, error) => {
    expect(parseVolumesFrom(input)).toEqual({ ok: false, error });
  });
});

describe('parseDevice', () => {
  it.each<[string | DeviceLongSyntax, DeviceMapping]>([
    ['/dev/null', { source: '/dev/null', target: '/dev/null', permissions: 'rwm' }],
    ['/dev/ttyUSB0:/dev/ttyACM0', { source: '/dev/ttyUSB0', target: '/dev/ttyACM0', permissions: 'rwm' }],
    ['/dev/sda:/dev/xvda:r', { source: '/dev/sda', target: '/dev/xvda', permissions: 'r' }],
    [{ source: '/dev/null' }, { source: '/dev/null', target: '/dev/null', permissions: 'rwm' }],
    [{ source: '/dev/null', target: '/dev/nothing', permissions: 'rw' }, { source: '/dev/null', target: '/dev/nothing', permissions: 'rw' }],
    ['nvidia.com/gpu=all', { source: 'nvidia.com/gpu=all', target: 'nvidia.com/gpu=all', permissions: 'rwm' }],
  ])('must read %j', (input, device) => {
    expect(parseDevice(input)).toEqual({ ok: true, value: device });
  });

  it.each<[string | DeviceLongSyntax, string]>([
    ['/a:/b:rw:x', 'confusing device mapping "/a:/b:rw:x": use the long syntax (source, target, permissions)'],
    ['dev/null', 'device "dev/null" must be an absolute host path or a CDI device name'],
    ['/dev/null:dev/null', 'device target "dev/null" must be an absolute path'],
    ['/dev/null:/dev/null:rx', 'device permissions "rx" must be made of r, w and m (such as "rwm")'],
    [{ source: '' }, 'a device needs a host path'],
  ])('must reject %j', (input, error) => {
    expect(parseDevice(input)).toEqual({ ok: false, error });
  });

  it.each([
    ['nvidia.com/gpu=0', true],
    ['vendor.example/class=name-1', true],
    ['/dev/null', false],
    ['gpu=0', false],
  ])('isCdiDeviceName(%j) must be %j', (name, expected) => {
    expect(isCdiDeviceName(name)).toBe(expected);
  });
});

describe('parsePullPolicy', () => {
  it.each<[string, ParsedPullPolicy]>([
    ['always', { policy: 'always', refreshPeriodNs: null }],
    ['never', { policy: 'never', refreshPeriodNs: null }],
    ['build', { policy: 'build', refreshPeriodNs: null }],
    ['missing', { policy: 'missing', refreshPeriodNs: null }],
    ['if_not_present', { policy: 'missing', refreshPeriodNs: null }],
    // compose-go's GetPullPolicy: "refresh" alone has no period and falls back to "missing".
    ['refresh', { policy: 'missing', refreshPeriodNs: null }],
    ['daily', { policy: 'refresh', refreshPeriodNs: 24 * HOUR_NS }],
    ['weekly', { policy: 'refresh', refreshPeriodNs: 7 * 24 * HOUR_NS }],
    ['every_12h', { policy: 'refresh', refreshPeriodNs: 12 * HOUR_NS }],
    ['every_2d', { policy: 'refresh', refreshPeriodNs: 48 * HOUR_NS }],
    ['every_1w2d3h4m5s', { policy: 'refresh', refreshPeriodNs: (9 * 24 + 3) * HOUR_NS + 4 * 60e9 + 5e9 }],
  ])('must read %j', (input, parsed) => {
    expect(parsePullPolicy(input)).toEqual({ ok: true, value: parsed });
  });

  it.each<[string, string]>([
    ['sometimes', 'invalid pull_policy "sometimes": use always, never, missing, build, if_not_present, refresh, daily, weekly or every_<duration> (such as every_12h)'],
    ['every_', 'invalid pull_policy "every_": use always, never, missing, build, if_not_present, refresh, daily, weekly or every_<duration> (such as every_12h)'],
    ['every_12x', 'invalid pull_policy "every_12x": use always, never, missing, build, if_not_present, refresh, daily, weekly or every_<duration> (such as every_12h)'],
    ['every_0h', 'pull_policy "every_0h" needs a period longer than zero'],
  ])('must reject %j', (input, error) => {
    expect(parsePullPolicy(input)).toEqual({ ok: false, error });
  });
});
