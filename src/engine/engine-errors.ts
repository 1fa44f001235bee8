// Engine errors have kinds. "Cannot reach the engine" is transient: callers retry with capped backoff
// and say so in one line. "The engine answered with an error" carries the engine's own message and HTTP
// status, so callers can tell "not found" and "conflict" from real failures.

/** The engine did not answer: no socket, connection refused, permission denied, reset, timed out. */
export class EngineUnavailableError extends Error {
  readonly kind = 'engine-unavailable' as const;
  readonly transient = true;
  constructor(
    readonly address: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(oneLine(`cannot reach the Docker engine at ${address}: ${reason} (${hintFor(reason)})`), options);
    this.name = 'EngineUnavailableError';
  }
}

/** The engine answered a request with an HTTP error. */
export class EngineRequestError extends Error {
  readonly kind = 'engine-request' as const;
  /** 5xx except "no such image/container/..." and "not found": the engine failed, a retry may succeed. */
  readonly transient: boolean;
  constructor(
    readonly operation: string,
    readonly statusCode: number,
    readonly engineMessage: string,
    options?: { cause?: unknown },
  ) {
    super(oneLine(`${operation} failed: ${engineMessage} (HTTP ${statusCode})`), options);
    this.name = 'EngineRequestError';
    this.transient = statusCode >= 500 && !/no such (image|container|network|volume|object)|not found/i.test(engineMessage);
  }
}

/** A build or pull the engine accepted and then reported failed in its progress stream (a failing RUN
 * step, an unknown image): the engine is fine, the inputs are not. */
export class ImageOperationError extends Error {
  readonly kind = 'image-operation' as const;
  readonly transient = false;
  constructor(
    readonly operation: 'build' | 'pull',
    readonly reference: string,
    readonly engineMessage: string,
  ) {
    super(oneLine(`${operation} of image ${reference} failed: ${engineMessage}`));
    this.name = 'ImageOperationError';
  }
}

export type EngineError = EngineUnavailableError | EngineRequestError | ImageOperationError;

export function isEngineError(error: unknown): error is EngineError {
  return (
    error instanceof EngineUnavailableError ||
    error instanceof EngineRequestError ||
    error instanceof ImageOperationError
  );
}

export function isNotFound(error: unknown): boolean {
  return error instanceof EngineRequestError && error.statusCode === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof EngineRequestError && error.statusCode === 409;
}

/** "Not modified": starting a started container or stopping a stopped one. */
export function isNotModified(error: unknown): boolean {
  return error instanceof EngineRequestError && error.statusCode === 304;
}

/** What the classifiers read of an engine request error: the error itself, or its copy in an execution report. */
export interface EngineRequestFailure {
  kind: 'engine-request';
  statusCode: number;
  engineMessage: string;
}

// `task <id>: already exists` (or `container "<id>": already exists`): after a dockerd restart the engine
// can keep a containerd task of a stopped container, and every start of it fails (moby/moby#36145).
const STALE_TASK = /\b(task [0-9a-f]{12,64}|container "[0-9a-f]{12,64}"): already exists\b/i;
// `failed to start shim: mkdir <exec-root>/…/io.containerd.runtime.v2.task/moby/<id>: file exists`: the same
// leftover, as the task's bundle directory (seen in the 1,000-fault chaos run after an engine restart).
const STALE_TASK_BUNDLE = /failed to start shim: mkdir \S*\/[0-9a-f]{64}: file exists\b/i;

/** A start the engine refuses because of a task left over from its restart: retrying never helps, a
 * recreate does. */
export function isStaleTask(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const failure = error as Partial<EngineRequestFailure>;
  return failure.kind === 'engine-request' && failure.statusCode === 500 && typeof failure.engineMessage === 'string' && (STALE_TASK.test(failure.engineMessage) || STALE_TASK_BUNDLE.test(failure.engineMessage));
}

const UNREACHABLE_CODES = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'EACCES',
  'EPERM',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOTSOCK',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
]);

interface ModemError {
  message?: unknown;
  statusCode?: unknown;
  json?: unknown;
  code?: unknown;
  syscall?: unknown;
}

/**
 * Turns what dockerode/docker-modem and node's http throw into an engine error. HTTP errors become
 * EngineRequestError with the engine's message; socket errors become EngineUnavailableError naming the
 * address. Anything else (a bug on our side) is returned unchanged.
 */
export function toEngineError(error: unknown, context: { address: string; operation: string }): unknown {
  if (isEngineError(error) || error === null || typeof error !== 'object') return error;
  const modemError = error as ModemError;
  if (typeof modemError.statusCode === 'number') {
    return new EngineRequestError(context.operation, modemError.statusCode, engineMessageOf(modemError), {
      cause: error,
    });
  }
  const code = typeof modemError.code === 'string' ? modemError.code : '';
  const message = typeof modemError.message === 'string' ? modemError.message : '';
  if (UNREACHABLE_CODES.has(code) || message === 'socket hang up') {
    const syscall = typeof modemError.syscall === 'string' ? `${modemError.syscall} ` : '';
    return new EngineUnavailableError(context.address, code === '' ? message : `${syscall}${code}`, { cause: error });
  }
  return error;
}

function engineMessageOf(error: ModemError): string {
  const json = error.json;
  if (json !== null && typeof json === 'object' && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message;
  }
  const text = typeof error.message === 'string' ? error.message : String(error);
  // docker-modem formats "(HTTP code 404) no such container - <engine message> ".
  return text.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

function hintFor(reason: string): string {
  if (/EACCES|EPERM/.test(reason)) return 'no permission on the socket? join the docker group or set DOCKER_HOST';
  return 'is dockerd running? set DOCKER_HOST';
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
