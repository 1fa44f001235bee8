import { describe, expect, it } from 'vitest';
import { captureStream } from './log-capture.test-support.js';
import { createLogFormatter, createPrettyDestination } from './pretty-log.js';

// The pretty log is pino-pretty's: these check composelet's choices (local clock, one line, the reconcile
// context in brackets, no pid or hostname, stacks below, lines that are not JSON untouched).

const time = new Date(2024, 0, 2, 13, 4, 5, 60).getTime();
const format = createLogFormatter({ colors: false });
const line = (record: Record<string, unknown>) => format(JSON.stringify(record));

describe('pretty log', () => {
  it.each([
    [10, 'TRACE'],
    [20, 'DEBUG'],
    [30, 'INFO'],
    [40, 'WARN'],
    [50, 'ERROR'],
    [60, 'FATAL'],
  ])('level %i must print as %s after the local clock', (level, name) => {
    expect(line({ level, time, msg: 'x' })).toBe(`[13:04:05.060] ${name}: x\n`);
  });

  it.each([
    [{ project: 'demo' }, '[demo] '],
    [{ reconcileId: 'abcd' }, '[reconcile=abcd] '],
    [{ project: 'demo', reconcileId: 'abcd' }, '[demo reconcile=abcd] '],
    [{}, ''],
  ])('context %j must print as %j before the message', (context, printed) => {
    expect(line({ level: 30, time, msg: 'x', ...context })).toBe(`[13:04:05.060] INFO: ${printed}x\n`);
  });

  it.each([
    ['api', '{"service":"api"}'],
    ['with space', '{"service":"with space"}'],
    [3, '{"service":3}'],
    [{ a: 1 }, '{"service":{"a":1}}'],
  ])('field value %j must print on the same line as %s', (value, printed) => {
    expect(line({ level: 30, time, msg: 'x', service: value })).toBe(`[13:04:05.060] INFO: x ${printed}\n`);
  });

  it('a project field that is not a name must print as a field, not vanish', () => {
    expect(line({ level: 30, time, msg: 'x', project: { services: 2 } })).toBe('[13:04:05.060] INFO: x project={"services":2}\n');
  });

  it('pid and hostname must be left out', () => {
    expect(line({ level: 30, time, pid: 42, hostname: 'box', msg: 'x' })).toBe('[13:04:05.060] INFO: x\n');
  });

  it('an error must print its message and its stack frames below', () => {
    const err = { type: 'Error', message: 'engine gone', stack: 'Error: engine gone\n    at observe (observe.ts:1:1)\n    at run (run.ts:2:2)' };
    const printed = line({ level: 50, time, msg: 'reconcile failed', err });
    expect(printed.split('\n')[0]).toContain('ERROR: reconcile failed');
    expect(printed).toContain('engine gone');
    expect(printed).toMatch(/\n\s+at observe \(observe\.ts:1:1\)\n\s+at run \(run\.ts:2:2\)/);
  });

  it('colors must wrap the level', () => {
    expect(createLogFormatter({ colors: true })(JSON.stringify({ level: 40, time, msg: 'x' }))).toContain('\u001b[33mWARN\u001b[39m');
  });

  it('a line split across writes must be printed once, whole', () => {
    const capture = captureStream();
    const destination = createPrettyDestination({ destination: capture.stream, colors: false });
    destination.write(`{"level":30,"time":${time},"ms`);
    expect(capture.text()).toBe('');
    destination.write('g":"joined"}\n');
    expect(capture.text()).toBe('[13:04:05.060] INFO: joined\n');
  });

  it('a line that is not JSON must pass through unchanged', () => {
    const capture = captureStream();
    createPrettyDestination({ destination: capture.stream, colors: false }).write('not json at all\n');
    expect(capture.text()).toBe('not json at all\n');
  });
});
