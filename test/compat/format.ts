import type { Difference } from './evaluate.js';

// Differences as lines for a failure message: file, field, and what each side gives.

export function formatDifferences(differences: readonly Difference[]): string {
  return differences.map((difference) => `  ${difference.file} ${difference.field}: ${difference.detail.slice(0, 600)}`).join('\n');
}
