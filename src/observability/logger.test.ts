import { describe, expect, it } from 'vitest';
import { captureStream } from './log-capture.test-support.js';
import { createLogger, newReconcileId, reconcileLogger, type LogFormat } from './logger.js';

const fixedTime = new Date(2024, 0, 2, 3, 4, 5, 6).getTime();

describe('logger', () => {
  it('JSON lines must parse and carry project and reconcileId from the reconcile logger', () => {
    const capture = captureStream();
    const root = createLogger({ destination: capture.stream, now: () => fixedTime });
    reconcileLogger(root, { project: 'demo', reconcileId: '1a2b3c4d' }).info({ operations: 3 }, 'plan ready');
    const [line, ...rest] = capture.lines();
    expect(rest).toEqual([]);
    expect(JSON.parse(line ?? '')).toMatchObject({ level: 30, time: fixedTime, project: 'demo', reconcileId: '1a2b3c4d', operations: 3, msg: 'plan ready' });
  });

  it('JSON must be the default format, even on a terminal', () => {
    const capture = captureStream({ isTTY: true });
    createLogger({ destination: capture.stream }).info('hello');
    expect(JSON.parse(capture.text())).toMatchObject({ msg: 'hello' });
  });

  it('auto format must be colored pretty lines on a terminal', () => {
    const capture = captureStream({ isTTY: true });
    createLogger({ destination: capture.stream, format: 'auto', now: () => fixedTime }).info('hello');
    expect(capture.text()).toBe('[03:04:05.006] \u001b[32mINFO\u001b[39m: \u001b[36mhello\u001b[39m\n');
  });

  it('auto format must be JSON when the destination is not a terminal', () => {
    const capture = captureStream({ isTTY: false });
    createLogger({ destination: capture.stream, format: 'auto' }).info('hello');
    expect(JSON.parse(capture.text())).toMatchObject({ msg: 'hello' });
  });

  it('pretty output must be one readable line with the time, level, context, message and fields', () => {
    const capture = captureStream();
    const root = createLogger({ destination: capture.stream, format: 'pretty', colors: false, now: () => fixedTime });
    reconcileLogger(root, { project: 'demo', reconcileId: '1a2b3c4d' }).info({ operations: 3, cause: 'spec changed: command' }, 'plan ready');
    expect(capture.text()).toBe('[03:04:05.006] INFO: [demo reconcile=1a2b3c4d] plan ready {"operations":3,"cause":"spec changed: command"}\n');
  });

  it('a line below the level must not be written, and one at it must', () => {
    const capture = captureStream();
    const logger = createLogger({ destination: capture.stream, level: 'warn' });
    logger.info('quiet');
    logger.warn('loud');
    expect(capture.lines().map((line) => JSON.parse(line).msg)).toEqual(['loud']);
  });

  it('an unknown level must be refused with the valid ones named', () => {
    expect(() => createLogger({ level: 'verbose', destination: captureStream().stream })).toThrow("unknown log level 'verbose': use one of trace, debug");
  });

  it('an error logged under `error` must be serialized with its message', () => {
    const capture = captureStream();
    createLogger({ destination: capture.stream }).error({ error: new Error('engine gone') }, 'reconcile failed');
    expect(JSON.parse(capture.text()).error).toMatchObject({ type: 'Error', message: 'engine gone' });
  });

  const sentinel = 'hunter2-sentinel';
  const secretFields: Array<[string, Record<string, unknown>]> = [
    ['an env list', { env: [`DB_PASSWORD=${sentinel}`, 'LOG_LEVEL=debug'] }],
    ['an environment map', { environment: { DB_PASSWORD: sentinel } }],
    ['a service environment', { service: { name: 'db', environment: { DB_PASSWORD: sentinel } } }],
    ['a project environment', { project: { services: { db: { environment: { DB_PASSWORD: sentinel } } } } }],
    ['a container create spec', { spec: { Image: 'postgres', Env: [`DB_PASSWORD=${sentinel}`] } }],
    ['an engine inspect', { container: { Config: { Env: [`DB_PASSWORD=${sentinel}`] } } }],
    ['a registry password', { auth: { username: 'me', password: sentinel } }],
    ['a token', { token: sentinel }],
    ['a secret', { config: { secret: sentinel } }],
  ];
  it.each(secretFields.flatMap(([name, fields]) => (['json', 'pretty'] as LogFormat[]).map((format) => [name, format, fields] as const)))(
    'a secret in %s must never appear in %s output',
    (_name, format, fields) => {
      const capture = captureStream();
      createLogger({ destination: capture.stream, format }).info(fields, 'spec');
      expect(capture.text()).toContain('spec');
      expect(capture.text()).not.toContain(sentinel);
    },
  );

  it('a redacted env list must keep the variable names', () => {
    const capture = captureStream();
    createLogger({ destination: capture.stream }).info({ spec: { Env: [`DB_PASSWORD=${sentinel}`, 'LOG_LEVEL=debug'] } }, 'create');
    expect(JSON.parse(capture.text()).spec.Env).toEqual(['DB_PASSWORD=<redacted>', 'LOG_LEVEL=<redacted>']);
  });

  it('redaction must not change the object that was logged', () => {
    const fields = { environment: { DB_PASSWORD: sentinel } };
    createLogger({ destination: captureStream().stream }).info(fields, 'spec');
    expect(fields.environment.DB_PASSWORD).toBe(sentinel);
  });

  it('reconcile ids must be eight hex characters and differ from one another', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newReconcileId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}$/);
  });
});
