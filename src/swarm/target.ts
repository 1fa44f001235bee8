import type { Project } from '../desired-state/model.js';

// Where a project runs: on one engine (the default), or as Swarm services on the cluster whose manager the
// engine is. A project opts in with `x-composelet: { target: swarm }`; `--target` on the command line wins.

export type Target = 'engine' | 'swarm';

export function targetOf(project: Pick<Project, 'composelet'>, override?: Target): Target {
  if (override !== undefined) return override;
  return project.composelet['target'] === 'swarm' ? 'swarm' : 'engine';
}

export function parseTarget(value: string | undefined): Target | undefined | Error {
  if (value === undefined) return undefined;
  if (value === 'engine' || value === 'swarm') return value;
  return new Error(`--target: expected "engine" or "swarm", got "${value}"`);
}
