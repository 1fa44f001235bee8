import { describe, expect, it } from 'vitest';
import { insideDeployWindows, parseDeployWindow } from './deploy-window.js';

const at = (iso: string) => Date.parse(iso);

describe('parseDeployWindow', () => {
  it.each([
    ['Mon-Fri 06:00-20:00 Europe/Berlin', { days: [1, 2, 3, 4, 5], startMinute: 360, endMinute: 1200, timeZone: 'Europe/Berlin' }],
    ['Sat 10:00-12:30', { days: [6], startMinute: 600, endMinute: 750, timeZone: 'UTC' }],
    ['mon,wed,fri 22:00-02:00 America/New_York', { days: [1, 3, 5], startMinute: 1320, endMinute: 120, timeZone: 'America/New_York' }],
    ['Fri-Mon 00:00-24:00 UTC', { days: [0, 1, 5, 6], startMinute: 0, endMinute: 1440, timeZone: 'UTC' }],
    ['Sun-Sat 09:00-17:00', { days: [0, 1, 2, 3, 4, 5, 6], startMinute: 540, endMinute: 1020, timeZone: 'UTC' }],
  ])('%s', (text, expected) => {
    expect(parseDeployWindow(text)).toEqual({ text, ...expected });
  });

  it.each([
    ['', /expected "DAYS HH:MM-HH:MM \[TIME_ZONE\]"/],
    ['Mon-Fri', /expected "DAYS HH:MM-HH:MM \[TIME_ZONE\]"/],
    ['Mon-Fry 06:00-20:00', /unknown day "Fry" \(Mon, Tue, Wed, Thu, Fri, Sat, Sun\)/],
    ['Mon-Fri 6-20', /"6-20" is not a time range HH:MM-HH:MM/],
    ['Mon-Fri 06:00-25:00', /"25:00" is not a time of day/],
    ['Mon-Fri 06:60-20:00', /"06:60" is not a time of day/],
    ['Mon-Fri 08:00-08:00', /an empty window/],
    ['Mon-Fri 06:00-20:00 Europe/Berln', /unknown time zone "Europe\/Berln"/],
    ['Mon-Fri 06:00-20:00 Europe/Berlin extra', /expected "DAYS HH:MM-HH:MM \[TIME_ZONE\]"/],
  ])('"%s" must be refused, saying why', (text, message) => {
    expect(() => parseDeployWindow(text)).toThrow(message);
    expect(() => parseDeployWindow(text)).toThrow(`--deploy-window "${text}": `);
  });
});

describe('insideDeployWindows', () => {
  const berlin = [parseDeployWindow('Mon-Fri 06:00-20:00 Europe/Berlin')];
  const overnight = [parseDeployWindow('Fri 22:00-02:00 UTC')];
  it.each([
    ['Berlin, Wednesday 05:59 local (04:59 UTC, winter): closed', berlin, '2026-01-14T04:59:00Z', false],
    ['Berlin, Wednesday 06:00 local (05:00 UTC, winter): open', berlin, '2026-01-14T05:00:00Z', true],
    ['Berlin, Wednesday 19:59 local (17:59 UTC, summer): open', berlin, '2026-07-15T17:59:00Z', true],
    ['Berlin, Wednesday 20:00 local (18:00 UTC, summer): closed', berlin, '2026-07-15T18:00:00Z', false],
    ['Berlin, Friday 23:30 UTC is Saturday 00:30 local: closed', berlin, '2026-01-16T23:30:00Z', false],
    ['Berlin, Sunday 23:30 UTC is Monday 00:30 local: closed (before 06:00)', berlin, '2026-01-18T23:30:00Z', false],
    ['Berlin, Monday 05:30 UTC in winter is 06:30 local: open', berlin, '2026-01-19T05:30:00Z', true],
    ['Berlin, DST starts (Sun 29 Mar 2026): Monday 04:30 UTC is 06:30 CEST: open', berlin, '2026-03-30T04:30:00Z', true],
    ['Berlin, the Friday before DST ends: 05:30 UTC is 07:30 CEST: open', berlin, '2026-10-23T05:30:00Z', true],
    ['Berlin, the Monday after DST ends: 05:30 UTC is 06:30 CET: open', berlin, '2026-10-26T05:30:00Z', true],
    ['Berlin, the Monday after DST ends: 04:30 UTC is 05:30 CET: closed', berlin, '2026-10-26T04:30:00Z', false],
    ['overnight, Friday 23:00: open', overnight, '2026-01-16T23:00:00Z', true],
    ['overnight, Saturday 01:59: open (it began on Friday)', overnight, '2026-01-17T01:59:00Z', true],
    ['overnight, Saturday 02:00: closed', overnight, '2026-01-17T02:00:00Z', false],
    ['overnight, Friday 01:00: closed (Thursday has no window)', overnight, '2026-01-16T01:00:00Z', false],
    ['no windows: always open', [], '2026-01-17T03:00:00Z', true],
    ['one of two windows open', [...berlin, parseDeployWindow('Sat 00:00-24:00 Europe/Berlin')], '2026-01-16T23:30:00Z', true],
  ])('%s', (_name, windows, instant, expected) => {
    expect(insideDeployWindows(windows, at(instant))).toBe(expected);
  });
});
