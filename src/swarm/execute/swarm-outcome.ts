// What became of one operation of a Swarm plan; `executeSwarm` returns one per operation, in plan order.
//   succeeded    the engine call was made; for a wait: the tasks run the current spec (or completed).
//   failed       the engine refused the call, or a wait timed out or saw its job fail (`message` says which).
//   skipped      not tried: an operation it depends on did not succeed (`message` names it).
//   rolled-back  a wait after composelet's update saw Swarm roll the service back to its previous spec
//                (update_config failure_action: rollback, UpdateStatus rollback_completed).
//   paused       a wait saw Swarm pause the service's update (failure_action: pause, the default) or its
//                rollback (rollback_paused): some tasks may run the new spec, some the old.
// Only `succeeded` counts as success. `rolled-back` and `paused` come from `wait:<service name>`
// operations and name the compose `service`, the `specHash` that failed (what `apply` remembers so it does
// not push it again without --retry-failed) and the `previousSpecHash` it replaced (null on a creation).
// `message` carries Swarm's own UpdateStatus message.

export type SwarmOutcome =
  | { resourceId: string; result: 'succeeded' }
  | { resourceId: string; result: 'failed' | 'skipped'; message: string }
  | { resourceId: string; result: 'rolled-back' | 'paused'; message: string; service: string; specHash: string; previousSpecHash: string | null };

export type SwarmResult = SwarmOutcome['result'];
