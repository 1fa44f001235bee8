import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { eventually } from '../../test/support/eventually.js';
import { eventStream, filterJson, pullQuery } from './docker-engine.js';
import type { EngineEvent } from './engine-port.js';

// The adapter's pure parts; the calls themselves are tested against the real engine in test/engine.

function eventLine(action: string, name: string): string {
  return `${JSON.stringify({ Type: 'container', Action: action, Actor: { ID: 'abc', Attributes: { name } }, time: 1 })}\n`;
}

async function collect(iterable: AsyncIterable<EngineEvent>, events: EngineEvent[] = []): Promise<EngineEvent[]> {
  for await (const event of iterable) events.push(event);
  return events;
}

describe('eventStream', () => {
  it('must parse events split across chunks, even inside a multi-byte character', async () => {
    const bytes = Buffer.from(eventLine('start', 'café') + eventLine('die', 'web'));
    const splitInsideAccent = bytes.indexOf(Buffer.from('é')) + 1;
    const chunks = [bytes.subarray(0, 10), bytes.subarray(10, splitInsideAccent), bytes.subarray(splitInsideAccent)];
    const events = await collect(eventStream(Readable.from(chunks, { objectMode: false })));
    expect(events.map((event) => [event.Action, event.Actor.Attributes['name']])).toEqual([
      ['start', 'café'],
      ['die', 'web'],
    ]);
  });

  it('must skip blank and malformed lines', async () => {
    const text = `\n${eventLine('start', 'a')}not json\n\n${eventLine('stop', 'a')}`;
    const events = await collect(eventStream(Readable.from([Buffer.from(text)], { objectMode: false })));
    expect(events.map((event) => event.Action)).toEqual(['start', 'stop']);
  });

  it('must end iteration when closed while waiting for the next event', async () => {
    const connection = new PassThrough();
    const stream = eventStream(connection);
    connection.write(eventLine('start', 'a'));
    const seen: EngineEvent[] = [];
    const reading = collect(stream, seen);
    await eventually(() => expect(seen).toHaveLength(1));
    stream.close();
    expect((await reading).map((event) => event.Action)).toEqual(['start']);
    expect(connection.destroyed).toBe(true);
  });

  it('must end iteration when the connection drops with an error', async () => {
    const connection = new PassThrough();
    const stream = eventStream(connection);
    const reading = collect(stream);
    connection.destroy(new Error('read ECONNRESET'));
    expect(await reading).toEqual([]);
  });
});

describe('filterJson', () => {
  it.each([
    [{ label: ['a=b', 'c'] }, '{"label":{"a=b":true,"c":true}}'],
    [{ label: [], name: ['web'] }, '{"name":{"web":true}}'],
    [{}, '{}'],
  ])('%j must become %s', (filters, expected) => {
    expect(filterJson(filters)).toBe(expected);
  });
});

describe('pullQuery', () => {
  it.each([
    ['busybox', { fromImage: 'busybox', tag: 'latest' }],
    ['composelet/busybox:1', { fromImage: 'composelet/busybox', tag: '1' }],
    ['registry.local:5000/team/app', { fromImage: 'registry.local:5000/team/app', tag: 'latest' }],
    ['registry.local:5000/team/app:2.1', { fromImage: 'registry.local:5000/team/app', tag: '2.1' }],
    ['app@sha256:abcd', { fromImage: 'app@sha256:abcd' }],
  ])('%s must pull %j', (reference, expected) => {
    expect(pullQuery(reference)).toEqual(expected);
  });
});
