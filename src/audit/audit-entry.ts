import { hostname, userInfo } from 'node:os';
import type { ExecutionReport, OperationStatus } from '../reconciler/execute/execute.js';
import { isMutating, type Operation, type OperationKind, type Plan } from '../reconciler/plan/plan.js';
import { createRedactor, isSecretLookingKey, type Redactor } from '../redaction/redact.js';
import type { Service } from '../desired-state/model.js';
import { describeOutcome, rolloutOutcomes, type RolloutOutcome, type RolloutResult } from '../reconciler/execute/rollout-outcomes.js';
import { redactEvidence } from '../redaction/redact-evidence.js';

// One line of the audit log: who changed what, when, why, and how it went. Entries are built from a plan
// and its execution report (one per mutating operation; waits change nothing) or, for actions that are
// not plan operations (a backup), from fields. Free text (cause, error) goes through the redactor on the
// way in; nothing else from a container spec or its environment is ever put in an entry. Each rollout of
// the plan adds one entry for its outcome (action `rollout`), with both containers' ids and both spec hashes.

export type AuditActor = 'apply' | 'controller' | 'down' | 'backup' | (string & {});
/** `intended`: the line written before a plan runs (audit-guard.ts); a rollout's entry has its outcome. */
export type AuditResult = OperationStatus | 'intended' | RolloutResult;

export interface AuditEntry {
  /** ISO 8601, UTC: when the outcome was recorded. */
  time: string;
  /** Which composelet command or component acted. */
  actor: AuditActor;
  /** `user@host` of the process that acted. */
  user: string;
  project: string;
  /** The service the action served; null for project-wide resources (networks, volumes). */
  service: string | null;
  /** The operation kind (`create-container`, `update-container`, ...) or another verb for non-plan actions. */
  action: OperationKind | (string & {});
  /** `container:demo-api-1`, `network:demo_default`, ... */
  resource: string;
  cause: string;
  specHashBefore: string | null;
  specHashAfter: string | null;
  result: AuditResult;
  error: string | null;
  /** The manifests' git commit, when they are a git checkout. */
  manifestCommit: string | null;
  durationMs: number;
  /** A rollout's entry: the old container's id and the replacement's (null when it was never created). */
  containers?: { before: string; after: string | null };
}

export interface SpecHashes {
  before: (operation: Operation) => string | null;
  after: (operation: Operation) => string | null;
}

export interface AuditContext {
  actor: AuditActor;
  /** Defaults to the plan's project. */
  project?: string;
  manifestCommit: string | null;
  specHashes: SpecHashes;
  /** Defaults to the current `user@host`. */
  user?: string;
  now?: () => Date;
  redactor?: Redactor;
  /** The desired services: a rollout's evidence (container output) is redacted with their secret values. */
  services?: Readonly<Record<string, Service>>;
}

/** One entry per mutating operation of the plan, in operation order, with its result from the report. */
export function auditEntriesOf(plan: Plan, report: ExecutionReport, context: AuditContext): AuditEntry[] {
  const results = new Map(report.results.map((result) => [result.id, result]));
  const time = (context.now ?? (() => new Date()))();
  const user = context.user ?? currentUser();
  const redactor = context.redactor ?? createRedactor();
  const operationEntries = [...plan.operations]
    .filter(isMutating)
    // A fallback that was not needed did nothing.
    .filter((operation) => results.get(operation.id)?.status !== 'unneeded')
    .sort((left, right) => left.id - right.id)
    .map((operation) => {
      const result = results.get(operation.id);
      return buildAuditEntry(
        {
          time,
          actor: context.actor,
          user,
          project: context.project ?? plan.projectName,
          service: operation.service,
          action: operation.kind,
          resource: operation.resourceId,
          cause: operation.cause,
          specHashBefore: context.specHashes.before(operation),
          specHashAfter: context.specHashes.after(operation),
          // execute() reports every operation; a missing result means the run never got to it.
          result: result?.status ?? 'abandoned',
          error: result === undefined ? 'no result reported' : (result.error ?? null),
          manifestCommit: context.manifestCommit,
          durationMs: result?.durationMs ?? 0,
        },
        { redactor },
      );
    });
  const rolloutEntries = rolloutOutcomes(plan, report).map((outcome) => {
    const service = context.services?.[outcome.rollout.service];
    const evidence = (text: string) => (service ? redactEvidence(text, service, redactor) : text);
    return buildAuditEntry(
      {
        time,
        actor: context.actor,
        user,
        project: context.project ?? plan.projectName,
        service: outcome.rollout.service,
        action: 'rollout',
        resource: `container:${outcome.rollout.name}`,
        cause: `rollout: ${evidence(describeOutcome(outcome))}`,
        specHashBefore: outcome.rollout.oldSpecHash,
        specHashAfter: outcome.rollout.newSpecHash,
        result: outcome.result,
        error: outcome.evidence === null ? null : evidence(outcome.evidence),
        manifestCommit: context.manifestCommit,
        durationMs: rolloutDurationMs(report, outcome),
        containers: { before: outcome.rollout.oldContainerId, after: replacementId(plan, report, outcome) },
      },
      { redactor },
    );
  });
  return [...operationEntries, ...rolloutEntries];
}

/** The id of the container the rollout created (the create among its covered operations), null if none was. */
function replacementId(plan: Plan, report: ExecutionReport, outcome: RolloutOutcome): string | null {
  const create = plan.operations.find((operation) => operation.kind === 'create-container' && operation.name === outcome.rollout.name && outcome.rollout.covered.includes(operation.id));
  return create === undefined ? null : (report.results.find((result) => result.id === create.id)?.containerId ?? null);
}

/** The time the service's covered operations and fallbacks took, added up. */
function rolloutDurationMs(report: ExecutionReport, outcome: RolloutOutcome): number {
  const ids = new Set([...outcome.rollout.covered, ...outcome.rollout.fallbacks]);
  return report.results.filter((result) => ids.has(result.id)).reduce((total, result) => total + result.durationMs, 0);
}

export type AuditEntryFields = Omit<AuditEntry, 'time' | 'user'> & { time?: Date; user?: string };

/** An entry from fields (for actions that are not plan operations), with its free text redacted. */
export function buildAuditEntry(fields: AuditEntryFields, options: { redactor?: Redactor; now?: () => Date } = {}): AuditEntry {
  const redactor = options.redactor ?? createRedactor();
  const time = fields.time ?? (options.now ?? (() => new Date()))();
  return {
    time: time.toISOString(),
    actor: fields.actor,
    user: fields.user ?? currentUser(),
    project: fields.project,
    service: fields.service,
    action: fields.action,
    resource: fields.resource,
    cause: redactFreeText(fields.cause, redactor),
    specHashBefore: fields.specHashBefore,
    specHashAfter: fields.specHashAfter,
    result: fields.result,
    error: fields.error === null ? null : redactFreeText(fields.error, redactor),
    manifestCommit: fields.manifestCommit,
    durationMs: Math.max(0, Math.round(fields.durationMs)),
    ...(fields.containers !== undefined ? { containers: fields.containers } : {}),
  };
}

const ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s,;)\]}]+)/g;

/**
 * Credentials inside URLs (the shared redactor), and, since engine errors sometimes quote a container's
 * environment, the value of any `SECRET_LOOKING_KEY=value` in the text.
 */
export function redactFreeText(text: string, redactor: Redactor): string {
  return redactor
    .text(text)
    .replace(ASSIGNMENT, (match, key: string, value: string) => {
      const quote = value.startsWith('"') || value.startsWith("'") ? value.charAt(0) : '';
      const bare = quote === '' ? value : value.slice(1, -1);
      if (!isSecretLookingKey(key) || bare.startsWith('<redacted:')) return match;
      return `${key}=${quote}${redactor.marker(bare)}${quote}`;
    });
}

/** `user@host` of this process; the uid when the user has no passwd entry (as in some containers). */
export function currentUser(): string {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = process.env.USER ?? `uid-${process.getuid?.() ?? 'unknown'}`;
  }
  return `${name}@${hostname()}`;
}
