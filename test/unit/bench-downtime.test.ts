import { describe, expect, it } from 'vitest';
import { adoptionStack, publishedUrls } from '../../bench/adoption-stack.js';
import { generatedStack } from '../../bench/stack-documents.js';
import { eventOutage, pollOutage, serviceDowntime, summarizeDowntime, type ContainerEvent, type PollSample } from '../../bench/downtime.js';

// How the adoption benchmark turns port polls and engine events into "down how often, for how long, and
// still down at the end", per service and for the whole stack; and the copy of a stack it adopts.

const polls = (pattern: string, stepMs = 100): PollSample[] => [...pattern].map((mark, index) => ({ at: index * stepMs, answered: mark === '+' }));

describe('benchmark downtime', () => {
  it.each([
    { pattern: '+++++', end: 400, expected: { outages: 0, longestGapMs: 100, endedDown: false } },
    { pattern: '++---++', end: 600, expected: { outages: 1, longestGapMs: 400, endedDown: false } },
    { pattern: '+-+--+', end: 500, expected: { outages: 2, longestGapMs: 300, endedDown: false } },
    { pattern: '++--', end: 900, expected: { outages: 1, longestGapMs: 800, endedDown: true } },
  ])('polls $pattern must read as $expected.outages outage(s), longest gap $expected.longestGapMs ms', ({ pattern, end, expected }) => {
    expect(pollOutage(polls(pattern), end)).toEqual(expected);
  });

  const event = (action: ContainerEvent['action'], containerId: string, at: number): ContainerEvent => ({ action, containerId, at });
  it.each([
    { name: 'stop then start of a replacement', events: [event('die', 'old', 100), event('start', 'new', 450)], expected: { outages: 1, longestGapMs: 350, endedDown: false } },
    { name: 'replacement started before the old one stopped', events: [event('start', 'new', 100), event('die', 'old', 200)], expected: { outages: 0, longestGapMs: 0, endedDown: false } },
    { name: 'down twice', events: [event('die', 'old', 100), event('start', 'new', 200), event('die', 'new', 300), event('start', 'new', 700)], expected: { outages: 2, longestGapMs: 400, endedDown: false } },
    { name: 'never back', events: [event('die', 'old', 100)], expected: { outages: 1, longestGapMs: 900, endedDown: true } },
    { name: 'events out of order', events: [event('start', 'new', 300), event('die', 'old', 100)], expected: { outages: 1, longestGapMs: 200, endedDown: false } },
  ])('events "$name" must read as $expected.outages outage(s)', ({ events, expected }) => {
    expect(eventOutage(events, { runningAtStart: ['old'], endAt: 1_000 })).toEqual(expected);
  });

  it('a service with a port must be judged by its polls for the gap, and down as often as either source says', () => {
    const fromEvents = { outages: 2, longestGapMs: 100, endedDown: false };
    expect(serviceDowntime({ service: 'api', polls: [{ outages: 1, longestGapMs: 700, endedDown: false }], events: fromEvents, runningAtEnd: true })).toEqual({
      service: 'api',
      source: 'port',
      outages: 2,
      longestGapMs: 700,
      leftDown: false,
    });
    expect(serviceDowntime({ service: 'db', polls: [], events: fromEvents, runningAtEnd: false })).toEqual({
      service: 'db',
      source: 'events',
      outages: 2,
      longestGapMs: 100,
      leftDown: true,
    });
  });

  it('the stack summary must name the services down more than once and those left down', () => {
    const summary = summarizeDowntime([
      { service: 'api', source: 'port', outages: 1, longestGapMs: 700, leftDown: false },
      { service: 'db', source: 'events', outages: 2, longestGapMs: 300, leftDown: false },
      { service: 'web', source: 'port', outages: 1, longestGapMs: 5_000, leftDown: true },
      { service: 'cache', source: 'events', outages: 0, longestGapMs: 0, leftDown: false },
    ]);
    expect(summary).toEqual({
      gapsMs: [700, 300, 5_000, 0],
      longestGapMs: 5_000,
      downMoreThanOnce: ['db'],
      leftDown: ['web'],
      polled: 2,
      fromEvents: 2,
    });
  });
});

describe('benchmark adoption stack', () => {
  it('a generated stack must get three polled services (first, middle, last) serving HTTP on a published port; the example keeps its own', () => {
    const stack = adoptionStack(generatedStack(10));
    expect([...publishedUrls(stack.document).keys()]).toEqual(['svc-000', 'svc-005', 'svc-009']);
    expect(stack.document.services['svc-000']?.['healthcheck']).toBeDefined();
    expect(String((stack.document.services['svc-005']?.['command'] as string[])[2])).toContain('httpd -f -p 8080');
    expect(adoptionStack(generatedStack(2)).document.services['svc-001']?.['ports']).toEqual(['127.0.0.1:1:8080']);
    const withPorts = { ...stack, document: { services: { api: { image: 'busybox', ports: ['127.0.0.1:18080:8080', '9000'] } } } };
    expect(adoptionStack(withPorts)).toBe(withPorts);
    expect(publishedUrls(withPorts.document)).toEqual(new Map([['api', ['http://127.0.0.1:18080/']]]));
  });
});
