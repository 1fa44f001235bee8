import type { Command } from '../command.js';

// Every command, by name and one-line summary, and how to load it. Nothing here imports a command's
// implementation: `composelet --help` prints this list, and `composelet NAME` loads NAME's module (and
// with it only what NAME uses) when it runs. A summary matches its command's own (a test checks).

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'validate', summary: 'check manifests and print their projects, services and dependency levels', load: async () => (await import('./validate.js')).validateCommand },
  { name: 'config', summary: 'print the normalized desired state (secret values redacted)', load: async () => (await import('./config.js')).configCommand },
  { name: 'plan', summary: 'show what apply would change on the engine, without changing it', load: async () => (await import('./plan.js')).planCommand },
  { name: 'apply', summary: 'make the engine match the manifests (create, recreate, update in place, start)', load: async () => (await import('./apply.js')).applyCommand },
  { name: 'adopt', summary: 'take over a project docker compose runs, one service at a time, none left down', load: async () => (await import('./adopt.js')).adoptCommand },
  { name: 'down', summary: 'stop and remove the containers and networks composelet created (volumes with --volumes)', load: async () => (await import('./down.js')).downCommand },
  { name: 'run', summary: 'keep every project under a manifests root converged (the controller)', load: async () => (await import('./run.js')).runCommand },
  { name: 'status', summary: 'show each service: state, health, in sync or drifted, restarts and backoff', load: async () => (await import('./status.js')).statusCommand },
  { name: 'audit', summary: 'show what apply and the controller changed (the audit log)', load: async () => (await import('./audit.js')).auditCommand },
  { name: 'graph', summary: 'draw the dependency graph (Mermaid or DOT), services coloured by their live state', load: async () => (await import('./graph.js')).graphCommand },
  { name: 'drift', summary: 'report where the engine differs from the manifests, per service and field', load: async () => (await import('./drift.js')).driftCommand },
  { name: 'suspend', summary: 'hands off: the controller neither heals, recreates nor deploys a service (or project) for a while', load: async () => (await import('./suspend.js')).suspendCommand },
  { name: 'resume', summary: 'end a suspension: the controller heals and deploys the service (or project) again at once', load: async () => (await import('./resume.js')).resumeCommand },
  { name: 'restart', summary: 'restart services in dependency order, health-gated (no service: the whole project, level by level)', load: async () => (await import('./restart.js')).restartCommand },
  { name: 'rollback', summary: 'go back to the previous spec of a service (healthy but wrong), as a rollout; the desired spec is held', load: async () => (await import('./rollback.js')).rollbackCommand },
  { name: 'gc', summary: "show (and with --yes remove) composelet's unused images, leftover containers and networks", load: async () => (await import('./gc.js')).gcCommand },
  { name: 'report', summary: 'the daily report: services, heals and time down, backups, drift, policy, what the controller did', load: async () => (await import('./report.js')).reportCommand },
  { name: 'backup', summary: 'run, list, verify and restore the backups defined under x-composelet', load: async () => (await import('./backup.js')).backupCommand },
  { name: 'completion', summary: 'print a bash or zsh completion script (source <(composelet completion bash))', load: async () => (await import('./completion.js')).completionCommand },
];
