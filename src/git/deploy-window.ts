import { UsageError } from '../errors/kinds.js';

// `--deploy-window "Mon-Fri 06:00-20:00 Europe/Berlin"` (repeatable): new commits are put in force only
// inside a window; healing, and putting the last good commit back after a quarantine, go on always. Pure:
// the parser, and the check of an instant, in the window's time zone through Intl (so DST is the zone's:
// 06:00 in Berlin is 05:00 UTC in winter and 04:00 UTC in summer). Days: Mon..Sun, ranges (Fri-Mon wraps)
// and lists; times HH:MM with 24:00 as an end; an end before the start runs past midnight, and that part
// belongs to the day it began on. Without a time zone, UTC.

export interface DeployWindow {
  /** As given, for messages. */
  text: string;
  /** 0 = Sunday .. 6 = Saturday, sorted. */
  days: number[];
  startMinute: number;
  /** 1..1440; below startMinute: the window runs past midnight. */
  endMinute: number;
  timeZone: string;
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const SHAPE = 'expected "DAYS HH:MM-HH:MM [TIME_ZONE]", e.g. "Mon-Fri 06:00-20:00 Europe/Berlin"';

export function parseDeployWindow(text: string): DeployWindow {
  const fail = (why: string): never => {
    throw new UsageError(`--deploy-window "${text}": ${why}`);
  };
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2 || words.length > 3) fail(SHAPE);
  const [dayText, timeText, zoneText] = words as [string, string, string | undefined];
  const days = new Set<number>();
  for (const part of dayText.split(',')) {
    const [first, last, ...rest] = part.split('-');
    if (rest.length > 0) fail(`"${part}" is not a day or a day range`);
    const from = dayOf(first!, fail);
    const to = last === undefined ? from : dayOf(last, fail);
    for (let day = from; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === to) break;
    }
  }
  const range = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(timeText);
  if (!range) fail(`"${timeText}" is not a time range HH:MM-HH:MM`);
  const startMinute = minuteOf(range![1]!, fail, { end: false });
  const endMinute = minuteOf(range![2]!, fail, { end: true });
  if (startMinute === endMinute || (startMinute === 0 && endMinute === 0)) fail(`${timeText} is an empty window (for a whole day, 00:00-24:00)`);
  const timeZone = zoneText ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    fail(`unknown time zone "${timeZone}" (an IANA name such as Europe/Berlin or UTC)`);
  }
  return { text, days: [...days].sort((left, right) => left - right), startMinute, endMinute, timeZone };
}

function dayOf(name: string, fail: (why: string) => never): number {
  const index = DAY_NAMES.findIndex((day) => day.toLowerCase() === name.toLowerCase());
  return index === -1 ? fail(`unknown day "${name}" (${[...DAY_NAMES.slice(1), DAY_NAMES[0]].join(', ')})`) : index;
}

function minuteOf(time: string, fail: (why: string) => never, options: { end: boolean }): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const valid = minutes < 60 && (hours < 24 || (options.end && hours === 24 && minutes === 0));
  return valid ? hours * 60 + minutes : fail(`"${time}" is not a time of day (00:00 to 23:59, 24:00 as an end)`);
}

/** Weekday (0 = Sunday) and minute of the day of an instant in a time zone. */
export function localTime(epochMs: number, timeZone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(epochMs));
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  return { day: DAY_NAMES.indexOf(part('weekday')), minute: Number(part('hour')) * 60 + Number(part('minute')) };
}

export function insideDeployWindow(window: DeployWindow, epochMs: number): boolean {
  const { day, minute } = localTime(epochMs, window.timeZone);
  if (window.startMinute < window.endMinute) return window.days.includes(day) && minute >= window.startMinute && minute < window.endMinute;
  // past midnight: the evening of a listed day, or the early hours after one
  return (window.days.includes(day) && minute >= window.startMinute) || (window.days.includes((day + 6) % 7) && minute < window.endMinute);
}

/** No windows: always open. */
export function insideDeployWindows(windows: readonly DeployWindow[], epochMs: number): boolean {
  return windows.length === 0 || windows.some((window) => insideDeployWindow(window, epochMs));
}
