import { DEFAULT_BACKUP_DESTINATION } from '../../backup/definitions/definition.js';
import { createBackupEngine, type BackupEngine } from '../../backup/backup-engine.js';
import { sweepHelperContainers } from '../../backup/helper-sweep.js';
import { definitionsOf, type BackupCliContext } from '../../backup/cli/context.js';
import { restoreSubcommand } from '../../backup/cli/restore-subcommand.js';
import { listSubcommand, runSubcommand } from '../../backup/cli/run-and-list.js';
import { verifySubcommand } from '../../backup/cli/verify-subcommand.js';
import { UsageError } from '../../errors/kinds.js';
import { hasSwarmProject, sweepSwarmBackupJobs, withSwarmBackups } from '../../swarm/backup/swarm-backups.js';
import { nodeEnginesFrom } from '../../swarm/backup/node-engines.js';
import { createDockerodeSwarmBackup } from '../../swarm/backup/dockerode-swarm-backup.js';
import { write, type Command } from '../command.js';
import { connectEngine } from '../engine-connection.js';
import { loadOrThrow, MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';

// `composelet backup run|list|verify|restore`: backups defined under x-composelet, on demand.

const SUBCOMMANDS = { run: runSubcommand, list: listSubcommand, verify: verifySubcommand, restore: restoreSubcommand } as const;

export const backupCommand: Command = {
  name: 'backup',
  summary: 'run, list, verify and restore the backups defined under x-composelet',
  help: `Usage: composelet backup run PATH [SERVICE|NAME]
       composelet backup list PATH [SERVICE|NAME]
       composelet backup verify PATH [ARTIFACT | --all] [--drill]
       composelet backup restore PATH SERVICE|NAME [--from ARTIFACT|latest] [--yes]

run      takes a backup now (every definition, or those of one service or name): streamed, compressed,
         written under a temporary name and renamed into place with a manifest beside it, then verified;
         the definition's retention is applied after a good run. Exit 1 when a backup failed.
list     the artifacts and failed runs of each definition, newest first, with the next scheduled run.
verify   re-reads the checksum, decompresses, reads the format (RDB header, tar listing, pg_restore
         --list in a throwaway container); --drill also restores into a throwaway server.
restore  verifies the artifact, stops the services that depend on SERVICE (reverse dependency order),
         restores (postgres: pg_restore --clean --if-exists into the running service; redis: stop, copy
         the RDB file in, start; volume: stop, replace the volume's contents, start; files: copy in),
         starts what it stopped in dependency order and checks that the service answers. It asks for
         confirmation on a terminal; without one it needs --yes.

Options:
${MANIFEST_OPTIONS_HELP}
      --from ARTIFACT      restore: an artifact's file name or path, or "latest" (default)
      --yes                restore: do not ask
      --all                verify: every artifact, not only the newest of each backup
      --drill              verify: also restore into a throwaway container (postgres, redis)
      --swarm-node-engine HOSTNAME=ADDRESS
                           a Swarm project: the engine of node HOSTNAME (unix:///path or tcp://host:port),
                           to exec into the database's task there; repeatable (also
                           COMPOSELET_SWARM_NODE_ENGINES). Without it, a one-off job on the cluster dumps it
      --json               print results as data
  -h, --help               show this help

Artifacts go to each definition's destination (default $COMPOSELET_BACKUP_DIR, else
${DEFAULT_BACKUP_DESTINATION}) under <project>/<service>/. The engine is DOCKER_HOST or the default socket.`,
  subcommands: Object.keys(SUBCOMMANDS),
  options: {
    ...manifestOptions,
    from: { type: 'string' },
    yes: { type: 'boolean' },
    all: { type: 'boolean' },
    drill: { type: 'boolean' },
    json: { type: 'boolean' },
    'swarm-node-engine': { type: 'string', multiple: true },
  },
  async run(input, io) {
    const [subcommand, path, ...targets] = input.positionals;
    if (subcommand === undefined || !(subcommand in SUBCOMMANDS)) {
      throw new UsageError(`${subcommand === undefined ? 'missing' : `unknown`} subcommand${subcommand ? ` "${subcommand}"` : ''}: use run, list, verify or restore`);
    }
    if (path === undefined) throw new UsageError('missing PATH: a compose file, a project directory or a manifests root');
    const state = loadOrThrow({ positionals: [path], values: input.values }, io);
    let engine: BackupEngine | null = null;
    const projects = definitionsOf(state, io);
    // Swarm projects: the manager finds the database's task; its node's engine or a one-off job reaches it.
    const swarm = hasSwarmProject(state.projects)
      ? { nodeEngines: nodeEnginesFrom({ values: (input.values['swarm-node-engine'] as string[] | undefined) ?? [], environment: io.env }), dockerHost: io.env.DOCKER_HOST || undefined }
      : null;
    const context: BackupCliContext = {
      io,
      values: input.values,
      targets,
      projects,
      json: Boolean(input.values.json),
      async engine() {
        if (engine === null) {
          engine = createBackupEngine({ port: await connectEngine(io), ...(io.env.DOCKER_HOST ? { dockerHost: io.env.DOCKER_HOST } : {}) });
          // Helpers a killed run left behind (helper-sweep.ts): removed before this command makes its own.
          for (const helper of await sweepHelperContainers(engine)) write(io.stderr, `removed backup helper ${helper.name} of project ${helper.project} left behind (${helper.reason})`);
          if (swarm) {
            const port = createDockerodeSwarmBackup(swarm.dockerHost === undefined ? {} : { dockerHost: swarm.dockerHost });
            for (const job of await sweepSwarmBackupJobs(port)) write(io.stderr, `removed backup job ${job} left behind on the Swarm (its process is gone)`);
            engine = withSwarmBackups(engine, { ...swarm, projects: state.projects, port });
          }
        }
        return engine;
      },
    };
    return SUBCOMMANDS[subcommand as keyof typeof SUBCOMMANDS](context);
  },
};
