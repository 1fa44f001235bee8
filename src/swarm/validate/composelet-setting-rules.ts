import type { Project } from '../../desired-state/model.js';
import type { ManifestPath, ProjectRule } from './swarm-rule.js';

// composelet's own settings (x-composelet) that a single engine needs and a Swarm project does not read:
// Swarm heals, rolls and owns its tasks itself.

export const COMPOSELET_SETTING_RULES: ProjectRule[] = [
  {
    scope: 'project',
    key: 'x-composelet.healing',
    severity: 'warning',
    reason: 'Swarm restarts failed tasks itself (deploy.restart_policy); composelet\'s crash-loop backoff and unhealthy restarts do not run',
    fix: 'write deploy.restart_policy (delay, max_attempts, window) for the backoff; Swarm replaces unhealthy tasks on its own',
    check: (project) => settingPaths(project, 'healing'),
  },
  {
    scope: 'project',
    key: 'x-composelet.rollout',
    severity: 'warning',
    reason: 'Swarm rolls tasks by the service\'s deploy.update_config; x-composelet.rollout is not passed to it',
    fix: 'write the same keys under deploy.update_config (and deploy.rollback_config)',
    check: (project) => settingPaths(project, 'rollout'),
  },
  {
    scope: 'project',
    key: 'x-composelet.adopt',
    severity: 'warning',
    reason: 'adoption takes over the containers docker compose made on one engine; Swarm services are only ever made by composelet',
    fix: 'remove adopt (remove the docker compose project first: docker compose down)',
    check: (project) => ('adopt' in project.composelet ? [['x-composelet', 'adopt']] : []),
  },
];

/** Where the project, then each service, writes `x-composelet.<key>`. */
function settingPaths(project: Project, key: string): ManifestPath[] {
  const paths: ManifestPath[] = key in project.composelet ? [['x-composelet', key]] : [];
  for (const service of Object.values(project.services)) {
    if (key in service.composelet) paths.push(['services', service.name, 'x-composelet', key]);
  }
  return paths;
}
