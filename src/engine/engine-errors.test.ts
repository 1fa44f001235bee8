import { describe, expect, it } from 'vitest';
import {
  EngineRequestError,
  EngineUnavailableError,
  isConflict,
  isNotFound,
  isNotModified,
  isStaleTask,
  toEngineError,
} from './engine-errors.js';

const context = { address: 'unix:///var/run/docker.sock', operation: 'GET /containers/web/json' };

function modemHttpError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), {
    statusCode,
    json: { message },
  });
}

function socketError(code: string, syscall = 'connect'): Error {
  return Object.assign(new Error(`${syscall} ${code} /var/run/docker.sock`), { code, syscall });
}

describe('toEngineError', () => {
  it('must turn an HTTP error into a request error carrying the engine message and status', () => {
    const error = toEngineError(modemHttpError(404, 'No such container: web'), context);
    expect(error).toBeInstanceOf(EngineRequestError);
    expect(error).toMatchObject({ statusCode: 404, engineMessage: 'No such container: web', kind: 'engine-request' });
    expect((error as Error).message).toBe('GET /containers/web/json failed: No such container: web (HTTP 404)');
    expect(isNotFound(error)).toBe(true);
    expect(isConflict(error)).toBe(false);
  });

  it('must take the engine message from the text when the body was a stream', () => {
    const streamed = Object.assign(new Error('(HTTP code 409) unexpected - Conflict. The name is in use '), { statusCode: 409, json: null });
    const error = toEngineError(streamed, context);
    expect(error).toMatchObject({ engineMessage: 'Conflict. The name is in use' });
    expect(isConflict(error)).toBe(true);
  });

  it.each(['ENOENT', 'ECONNREFUSED', 'EACCES', 'ETIMEDOUT', 'ECONNRESET'])(
    '%s must become a one-line unavailable error naming the address',
    (code) => {
      const error = toEngineError(socketError(code), context);
      expect(error).toBeInstanceOf(EngineUnavailableError);
      expect((error as Error).message).toMatch(new RegExp(`^cannot reach the Docker engine at unix:///var/run/docker.sock: connect ${code} \\(`));
      expect((error as Error).message).not.toContain('\n');
      expect(error).toMatchObject({ transient: true, kind: 'engine-unavailable' });
    },
  );

  it('must leave errors that are not the engine\'s unchanged', () => {
    const bug = new TypeError('cannot read properties of undefined');
    expect(toEngineError(bug, context)).toBe(bug);
  });
});

describe('EngineRequestError', () => {
  it.each([
    [500, 'driver failed programming external connectivity', true],
    [503, 'service unavailable', true],
    [500, 'No such image: composelet/missing:1', false],
    [404, 'No such container: web', false],
    [409, 'Conflict. The container name is already in use', false],
    [400, 'invalid reference format', false],
  ])('HTTP %i "%s" must have transient=%s', (statusCode, message, transient) => {
    expect(new EngineRequestError('POST /containers/create', statusCode, message).transient).toBe(transient);
  });

  it('must be recognised as not modified for HTTP 304', () => {
    expect(isNotModified(new EngineRequestError('POST /containers/web/start', 304, 'container already started'))).toBe(true);
  });
});

describe('isStaleTask', () => {
  const taskId = '4f1c0b8e9a2d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6';
  it.each([
    ['the engine\'s stale task after its restart', true, new EngineRequestError('start container', 500, `task ${taskId}: already exists`)],
    ['the same message behind a prefix', true, new EngineRequestError('start container', 500, `failed to create task for container: task ${taskId}: already exists: unknown`)],
    ['the containerd container left behind (moby#36145)', true, new EngineRequestError('start container', 500, `container "${taskId}": already exists`)],
    [
      'the task\'s bundle directory left behind',
      true,
      new EngineRequestError('start container', 500, `failed to start shim: mkdir /run/docker/containerd/daemon/io.containerd.runtime.v2.task/moby/${taskId}: file exists: unknown`),
    ],
    ['another directory that exists', false, new EngineRequestError('start container', 500, 'failed to start shim: mkdir /run/docker/containerd/daemon: file exists: unknown')],
    ['the same error as a plain object (an execution report)', true, { kind: 'engine-request', statusCode: 500, engineMessage: `task ${taskId}: already exists` }],
    ['another status', false, new EngineRequestError('start container', 409, `task ${taskId}: already exists`)],
    ['another 500', false, new EngineRequestError('start container', 500, 'driver failed programming external connectivity')],
    ['a network that exists', false, new EngineRequestError('create network', 409, 'network with name demo_default already exists')],
    ['an unreachable engine', false, new EngineUnavailableError('unix:///var/run/docker.sock', 'connect ECONNREFUSED')],
    ['a plain error with the message', false, new Error(`task ${taskId}: already exists`)],
    ['nothing', false, undefined],
  ])('%s: must be taken for a stale task: %s', (_label, staleTask, error) => {
    expect(isStaleTask(error)).toBe(staleTask);
  });
});
