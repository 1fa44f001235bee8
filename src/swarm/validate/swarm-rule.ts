import type { ManifestIssue } from '../../desired-state/manifest-issue.js';
import type { Project, Service } from '../../desired-state/model.js';

// What a Swarm project cannot do, or does differently from one host: one rule per compose key. A rule is
// data (key, severity, reason, fix) and a pure check that returns the manifest paths where it fires; the
// paths are located in the files afterwards (validate-swarm.ts), so every finding reads FILE:LINE:COLUMN.

export type SwarmSeverity = 'error' | 'warning';

export type ManifestPath = Array<string | number>;

interface RuleText {
  /** The compose key as the README table names it: `container_name`, `ports[].host_ip`, `x-composelet.healing`. */
  key: string;
  /** error: apply --target swarm stops before any change; warning: printed, and the project is deployed. */
  severity: SwarmSeverity;
  /** Why, in one line: what Swarm does instead, or what the key needs that a cluster does not have. */
  reason: string;
  /** What to write instead. */
  fix: string;
}

/** A rule on each service of the project. */
export interface ServiceRule extends RuleText {
  scope: 'service';
  check: (service: Service, project: Project) => ManifestPath[];
}

/** A rule on the project's own keys (x-composelet, top-level networks). */
export interface ProjectRule extends RuleText {
  scope: 'project';
  check: (project: Project) => ManifestPath[];
}

export type SwarmRule = ServiceRule | ProjectRule;

/** One rule fired at one place: a manifest issue (file, line, column, path, message) with its rule and severity. */
export interface SwarmFinding extends ManifestIssue {
  rule: string;
  severity: SwarmSeverity;
  fix: string;
}

/** `services.<name>.<...path>` */
export function servicePath(service: Pick<Service, 'name'>, ...path: ManifestPath): ManifestPath {
  return ['services', service.name, ...path];
}
