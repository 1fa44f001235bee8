import { hostname, userInfo } from 'node:os';
import type { ExecutionReport, OperationStatus } from '../reconciler/execute/execute.js';
import { isMutating, type Operation, type OperationKind, type Plan } from '../reconciler/plan/plan.js';
import { createRedactor, isSecretLookingKey, type Redactor } from '../redaction/redact.js';

// One line of the audit log: who changed what, when, why, and how it went. Entries are built from a plan
// and its execution report (one per mutating operation; waits change nothing) or, for actions that are
// not plan operations (a backup), from fields. Free text (cause, error) goes through the redactor on the
// way in; nothing else from a container spec or its environment is ever put in an entry.

export type AuditActor = 'apply' | 'controller' | 'down' | 'backup' | (string & {});
/** `intended`: the line written before a plan runs (audit-guard.ts). */
export type AuditResult = OperationStatus | 'intended';

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
}

/** One entry per mutating operation of the plan, in operation order, with its result from the report. */
export function auditEntriesOf(plan: Plan, report: ExecutionReport, context: AuditContext): AuditEntry[] {
  const results = new Map(report.results.map((result) => [result.id, result]));
  const time = (context.now ?? (() => new Date()))();
  const user = context.user ?? currentUser();
  const redactor = context.redactor ?? createRedactor();
  return [...plan.operations]
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
