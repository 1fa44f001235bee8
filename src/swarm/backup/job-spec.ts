import { HELPER_LABEL, HELPER_OWNER_LABEL } from '../../backup/strategies/strategy.js';
import type { ServiceSpec } from '../mapping/swarm-types.js';
import type { TaskLocation } from './running-task.js';
import type { RawService } from './swarm-backup-port.js';

// The one-off job that dumps a database composelet cannot exec into (its node's engine is unknown): a
// replicated job with the database's image, environment and secrets, on the database's networks (without its
// aliases, so it never answers for the database), that runs the backup command against the task's address
// (PGHOST, COMPOSELET_BACKUP_HOST) into a file, then prints the file base64-encoded between two marker lines,
// the last carrying the command's exit status, the SHA-256 and the size (job-output.ts reads them back).
// The command is passed as arguments of a fixed script: nothing in the spec holds a secret value, only the
// references the database's own spec holds (a secret's file, an environment the database already carries).

export const BEGIN_MARKER = 'composelet-backup-begin';
export const END_MARKER = 'composelet-backup-end';

/** POSIX sh: PGPASSWORD from the official image's variables when it is not set; the command's stdout into a
 * temporary file; then the file between the markers. Its own exit status is 0 once the markers are out. */
export const JOB_SCRIPT = [
  'set -u',
  'if [ -z "${PGPASSWORD:-}" ] && [ -n "${POSTGRES_PASSWORD_FILE:-}" ] && [ -r "$POSTGRES_PASSWORD_FILE" ]; then PGPASSWORD=$(cat "$POSTGRES_PASSWORD_FILE"); export PGPASSWORD; fi',
  'if [ -z "${PGPASSWORD:-}" ] && [ -n "${POSTGRES_PASSWORD:-}" ]; then PGPASSWORD=$POSTGRES_PASSWORD; export PGPASSWORD; fi',
  'out=$(mktemp) || exit 70',
  '"$@" >"$out"',
  'status=$?',
  `echo ${BEGIN_MARKER}`,
  'base64 "$out" || exit 71',
  `echo "${END_MARKER} $status $(sha256sum "$out" | cut -d ' ' -f 1) $(wc -c <"$out")"`,
  'rm -f "$out"',
].join('\n');

export interface JobSpecInput {
  projectName: string;
  /** The compose service's name. */
  service: string;
  /** The database's service spec as the manager holds it (secrets and networks by id). */
  databaseSpec: RawService['Spec'];
  task: TaskLocation;
  command: readonly string[];
  user: string | null;
  /** `pid@host` of this process (helper-sweep.ts removes a dead owner's leftovers). */
  owner: string;
  /** Makes the name unique. */
  suffix: string;
}

export function backupJobSpec(input: JobSpecInput): ServiceSpec {
  if (input.task.address === null) throw new Error(`the task of service "${input.service}" has no address on an overlay network: a one-off backup job cannot reach it`);
  const database = input.databaseSpec.TaskTemplate.ContainerSpec;
  const user = input.user ?? database.User;
  return {
    Name: `${input.projectName}_${input.service}-backup-${input.suffix}`,
    Labels: { [HELPER_LABEL]: input.projectName, [HELPER_OWNER_LABEL]: input.owner },
    TaskTemplate: {
      ContainerSpec: {
        Image: input.task.image || database.Image,
        Command: ['sh', '-c', JOB_SCRIPT, 'composelet-backup', ...input.command],
        Env: [...(database.Env ?? []), `PGHOST=${input.task.address}`, `COMPOSELET_BACKUP_HOST=${input.task.address}`],
        ...(database.Secrets ? { Secrets: database.Secrets } : {}),
        ...(user ? { User: user } : {}),
      },
      RestartPolicy: { Condition: 'none' },
      // On the database's node: its image is there, and the dump crosses no other host.
      ...(input.task.nodeId ? { Placement: { Constraints: [`node.id == ${input.task.nodeId}`] } } : {}),
      Networks: (input.databaseSpec.TaskTemplate.Networks ?? []).map((network) => ({ Target: network.Target })),
      // Read back through the manager's logs API, which needs a driver that keeps logs readable.
      LogDriver: { Name: 'json-file' },
    },
    Mode: { ReplicatedJob: { MaxConcurrent: 1, TotalCompletions: 1 } },
  };
}
