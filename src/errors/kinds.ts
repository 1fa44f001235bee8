import { formatIssue, type ManifestIssue } from '../desired-state/manifest-issue.js';

// Errors have kinds. An invalid manifest is terminal: report it and keep the last good desired state;
// retrying cannot fix it. Engine errors are transient and retried with capped backoff by callers.

export class InvalidManifestError extends Error {
  readonly kind = 'invalid-manifest' as const;
  readonly terminal = true;
  constructor(readonly issues: ManifestIssue[]) {
    super(
      `${issues.length} problem${issues.length === 1 ? '' : 's'} in the manifests:\n` +
        issues.map((issue) => `  ${formatIssue(issue)}`).join('\n'),
    );
    this.name = 'InvalidManifestError';
  }
}

export class UsageError extends Error {
  readonly kind = 'usage' as const;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
