import type { QuarantinedCommit } from './delivery-state.js';

// What /status and `composelet status` show about git delivery, and its one-line summary:
// "running abc1234, commit def5678 rejected: <reason>".

export interface GitStatus {
  url: string;
  branch: string;
  path: string;
  /** The commit in force (null before the first good commit). */
  commit: string | null;
  lastFetchedCommit: string | null;
  /** ISO 8601; null when no fetch succeeded since start. */
  lastFetchSuccessAt: string | null;
  /** The last fetch's error while fetches fail; null once one succeeds. */
  lastFetchError: string | null;
  consecutiveFetchFailures: number;
  /** Newest first. */
  quarantined: QuarantinedCommit[];
  /** A new commit fetched outside every --deploy-window (put in force inside one); null: none waits. */
  waitingForWindow?: { commit: string; windows: string[] } | null;
  summary: string;
}

export function shortCommit(commit: string): string {
  return commit.slice(0, 7);
}

export function gitSummary(status: Omit<GitStatus, 'summary'>): string {
  const parts = [status.commit === null ? 'no commit in force yet' : `running ${shortCommit(status.commit)}`];
  const rejected = status.quarantined.find((entry) => entry.commit === status.lastFetchedCommit) ?? (status.commit === null ? status.quarantined[0] : undefined);
  if (rejected) parts.push(`commit ${shortCommit(rejected.commit)} rejected: ${rejected.reason}`);
  if (status.waitingForWindow) parts.push(`commit ${shortCommit(status.waitingForWindow.commit)} waits for a deploy window (${status.waitingForWindow.windows.join('; ')})`);
  if (status.lastFetchError !== null) parts.push(`fetch failing (${status.consecutiveFetchFailures} in a row): ${status.lastFetchError}`);
  return parts.join(', ');
}
