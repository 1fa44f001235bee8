import { describe, expect, it } from 'vitest';
import { captureStream } from './log-capture.test-support.js';
import { createPrettyDestination, formatClock, formatLogRecord } from './pretty-log.js';

const time = new Date(2024, 0, 2, 13, 4, 5, 60).getTime();
const plain = { colors: false };

describe('pretty log', () => {
  it('the clock must be local HH:MM:SS.mmm', () => {
    expect(formatClock(time)).toBe('13:04:05.060');
  });

  it.each([
    [10, 'TRACE'],
    [20, 'DEBUG'],
    [30, 'INFO '],
    [40, 'WARN '],
    [50, 'ERROR'],
    [60, 'FATAL'],
  ])('level %i must print as %s', (level, name) => {
    expect(formatLogRecord({ level, time, msg: 'x' }, plain)).toBe(`13:04:05.060 ${name} x`);
  });

  it.each([
    [{ project: 'demo' }, '[demo] '],
    [{ reconcileId: 'abcd' }, '[reconcile=abcd] '],
    [{ project: 'demo', reconcileId: 'abcd' }, '[demo reconcile=abcd] '],
    [{}, ''],
  ])('context %j must print as %j', (context, printed) => {
    expect(formatLogRecord({ level: 30, time, msg: 'x', ...context }, plain)).toBe(`13:04:05.060 INFO  ${printed}x`);
  });

  it.each([
    ['api', 'service=api'],
    ['with space', 'service="with space"'],
    ['', 'service=""'],
    [3, 'service=3'],
    [true, 'service=true'],
    [null, 'service=null'],
    [{ a: 1 }, 'service={"a":1}'],
    [['a', 'b'], 'service=["a","b"]'],
  ])('field value %j must print as %s', (value, printed) => {
    expect(formatLogRecord({ level: 30, time, msg: 'x', service: value }, plain)).toBe(`13:04:05.060 INFO  x ${printed}`);
  });

  it('a project field that is not a name must print as a field, not vanish', () => {
    expect(formatLogRecord({ level: 30, time, msg: 'x', project: { services: 2 } }, plain)).toBe('13:04:05.060 INFO  x project={"services":2}');
  });

  it('pid and hostname must be left out', () => {
    expect(formatLogRecord({ level: 30, time, pid: 42, hostname: 'box', msg: 'x' }, plain)).toBe('13:04:05.060 INFO  x');
  });

  it('an error must print its message inline and its stack frames indented below', () => {
    const err = { type: 'Error', message: 'engine gone', stack: 'Error: engine gone\n    at observe (observe.ts:1:1)\n    at run (run.ts:2:2)' };
    expect(formatLogRecord({ level: 50, time, msg: 'reconcile failed', err }, plain)).toBe(
      ['13:04:05.060 ERROR reconcile failed err="engine gone"', '    at observe (observe.ts:1:1)', '    at run (run.ts:2:2)'].join('\n'),
    );
  });

  it('colors must wrap the level and dim the time', () => {
    expect(formatLogRecord({ level: 40, time, msg: 'x' }, { colors: true })).toBe('\u001b[2m13:04:05.060\u001b[39m \u001b[33mWARN \u001b[39m x');
  });

  it('a line split across writes must be printed once, whole', () => {
    const capture = captureStream();
    const destination = createPrettyDestination({ destination: capture.stream, colors: false });
    destination.write(`{"level":30,"time":${time},"ms`);
    expect(capture.text()).toBe('');
    destination.write('g":"joined"}\n');
    expect(capture.text()).toBe('13:04:05.060 INFO  joined\n');
  });

  it('a line that is not JSON must pass through unchanged', () => {
    const capture = captureStream();
    createPrettyDestination({ destination: capture.stream, colors: false }).write('not json at all\n');
    expect(capture.text()).toBe('not json at all\n');
  });
});
