import { Counter, Gauge, type Registry } from 'prom-client';

// Git delivery's metrics, on the controller's own registry. Every series starts at zero; the commit
// info series holds only the commit in force, the quarantined one each quarantined commit (at most
// QUARANTINE_LIMIT of them).

export interface GitMetrics {
  setCommitInForce(commit: string | null): void;
  recordFetch(result: { ok: true; atSeconds: number } | { ok: false }): void;
  setQuarantined(commits: readonly string[]): void;
  recordWebhook(result: WebhookResult): void;
}

export const WEBHOOK_RESULTS = ['accepted', 'ignored', 'bad_signature'] as const;
export type WebhookResult = (typeof WEBHOOK_RESULTS)[number];

export function createGitMetrics(registry: Registry, prefix = 'composelet_'): GitMetrics {
  const registers = [registry];
  const commitInfo = new Gauge({ name: `${prefix}git_commit_info`, help: 'The commit in force (value 1).', labelNames: ['commit'], registers });
  const lastSuccess = new Gauge({ name: `${prefix}git_last_fetch_success_timestamp_seconds`, help: 'Unix time of the last successful fetch (0: none since start).', registers });
  const failures = new Counter({ name: `${prefix}git_fetch_failures_total`, help: 'Fetches that failed (the last good commit stays in force).', registers });
  const quarantined = new Gauge({ name: `${prefix}git_commit_quarantined`, help: 'Commits quarantined (value 1): never applied until a newer commit arrives.', labelNames: ['commit'], registers });
  const quarantinedCount = new Gauge({ name: `${prefix}git_quarantined_commits`, help: 'How many commits are quarantined.', registers });
  const webhooks = new Counter({ name: `${prefix}git_webhook_requests_total`, help: 'Webhook deliveries at /hooks/git by result.', labelNames: ['result'], registers });
  lastSuccess.set(0);
  failures.inc(0);
  quarantinedCount.set(0);
  for (const result of WEBHOOK_RESULTS) webhooks.inc({ result }, 0);
  let shownCommit: string | null = null;
  let shownQuarantined: readonly string[] = [];
  return {
    setCommitInForce(commit) {
      if (shownCommit !== null && shownCommit !== commit) commitInfo.remove({ commit: shownCommit });
      if (commit !== null) commitInfo.set({ commit }, 1);
      shownCommit = commit;
    },
    recordFetch(result) {
      if (result.ok) lastSuccess.set(result.atSeconds);
      else failures.inc();
    },
    setQuarantined(commits) {
      for (const commit of shownQuarantined) if (!commits.includes(commit)) quarantined.remove({ commit });
      for (const commit of commits) quarantined.set({ commit }, 1);
      quarantinedCount.set(commits.length);
      shownQuarantined = [...commits];
    },
    recordWebhook: (result) => webhooks.inc({ result }),
  };
}
