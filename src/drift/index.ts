// Drift: does the engine run what the manifests say? What the CLI (`composelet drift`) and the
// controller (drift metrics, --drift-report-dir) use.

export { computeDrift, type DriftOptions } from './compute-drift.js';
export { assembleReport, createDriftReport, driftExitCode, summarize, DRIFT_SCHEMA_VERSION, type ReportOptions } from './report/report.js';
export { renderDriftMarkdown } from './report/render-markdown.js';
export { writeDriftReport, type WriteReportOptions, type WrittenReport } from './report/write-report.js';
export { readManifestSource } from './report/manifest-source.js';
export type {
  ContainerBrief,
  DriftCategory,
  DriftChange,
  DriftReport,
  DriftSummary,
  ManifestSource,
  ProjectDrift,
  ServiceDrift,
  ServiceStatus,
} from './model.js';
export { DRIFT_CATEGORIES, SERVICE_STATUSES } from './model.js';
