import type { Project } from '../../desired-state/model.js';
import { summarize } from '../../drift/index.js';
import type { DriftChange, DriftReport, ProjectDrift, ServiceDrift } from '../../drift/model.js';
import type { Redactor } from '../../redaction/redact.js';
import type { SwarmPort } from '../engine/swarm-port.js';
import { desiredSwarm } from '../mapping/desired-swarm.js';
import { readFileObjectContents } from '../model/file-contents.js';
import type { SwarmServiceDrift } from '../drift/swarm-drift.js';
import { swarmDrift } from '../drift/swarm-drift.js';
import { shownSpecValue } from '../drift/redact-difference.js';

// The controller's drift report for projects that target Swarm: swarmDrift (desired vs the service spec
// Swarm holds, and tasks not running) in the drift report's own shape, so metrics, logs, files and the page
// read them like one host's. Values under the environment are redacted; limits and images are shown.

export async function swarmProjectDrift(project: Project, port: SwarmPort, redactor: Redactor): Promise<ProjectDrift> {
  const desired = desiredSwarm(project, readFileObjectContents(project));
  return projectDriftOf(project, swarmDrift(desired, await port.observe(project.name)), redactor);
}

export function projectDriftOf(project: Pick<Project, 'name' | 'services'>, drifts: readonly SwarmServiceDrift[], redactor: Redactor): ProjectDrift {
  const services: ServiceDrift[] = Object.values(project.services)
    .sort((left, right) => left.name.localeCompare(right.name))
    .map((service) => {
      const drift = drifts.find((entry) => entry.service === service.name);
      const base = { name: service.name, replicas: service.replicas, containers: [] };
      if (!drift) return { ...base, status: 'in-sync' as const, changes: [] };
      if (drift.missing) return { ...base, status: 'missing' as const, changes: [{ category: 'missing' as const, container: null, path: '/service', op: 'remove' as const, desired: service.name, live: null, reason: `Swarm service of ${service.name} not found` }] };
      const changes: DriftChange[] = drift.differences.map((difference) => ({
        category: /\/Resources\/|\/RestartPolicy/.test(difference.path) ? ('limits' as const) : ('configuration' as const),
        container: null,
        path: difference.path,
        op: difference.desired === undefined ? ('add' as const) : difference.observed === undefined ? ('remove' as const) : ('replace' as const),
        desired: shownSpecValue(difference.path, difference.desired, redactor),
        live: shownSpecValue(difference.path, difference.observed, redactor),
        reason: `${difference.path} changed on the cluster`,
      }));
      if (drift.tasks !== null) changes.push({ category: 'stopped', container: null, path: '/tasks', op: 'replace', desired: null, live: drift.tasks, reason: `tasks: ${drift.tasks}` });
      return { ...base, status: drift.differences.length > 0 ? ('drifted' as const) : ('stopped' as const), changes };
    });
  return { name: project.name, status: services.every((service) => service.status === 'in-sync') ? 'in-sync' : 'drifted', services, changes: [], policy: [], backups: [] };
}

/** The report with the Swarm projects in it (summary and in-sync recomputed). */
export function withSwarmProjects(report: DriftReport, swarmProjects: readonly ProjectDrift[]): DriftReport {
  if (swarmProjects.length === 0) return report;
  const projects = [...report.projects, ...swarmProjects].sort((left, right) => left.name.localeCompare(right.name));
  const summary = summarize(projects);
  return { ...report, projects, summary, inSync: summary.projectsDrifted === 0 };
}
