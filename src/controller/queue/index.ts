// Keys in, reconciles out: the work queue and the backoff it (and the sources) retry with.

export { createFailureCounter, exponentialDelay, type BackoffOptions, type FailureCounter } from './backoff.js';
export {
  DEFAULT_QUEUE_BACKOFF,
  createWorkQueue,
  type QueueTimers,
  type ReconcileOutcome,
  type WorkQueue,
  type WorkQueueEvent,
  type WorkQueueOptions,
} from './work-queue.js';
