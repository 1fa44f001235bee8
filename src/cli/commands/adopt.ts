import type { Command } from '../command.js';
import { MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';
import { runApply } from './apply.js';

// `composelet adopt PATH`: take over a project docker compose runs (apply with adoption, plus what differs).

export const adoptCommand: Command = {
  name: 'adopt',
  summary: 'take over a project docker compose runs, one service at a time, none left down',
  help: `Usage: composelet adopt PATH [options]

Takes over a project that docker compose created: its containers are found by their com.docker.compose.*
labels, whatever their names (v2 <project>-<service>-<n>, v1 <project>_<service>_<n>, container_name).
First it prints, per service, what the compose containers run that differs from the manifests, and the
plan with one "~ adopt" line per service. Then, one service at a time in dependency order:
  - the replacement is created (named volumes are the same volumes; anonymous volumes are re-attached),
  - the compose container is stopped (only now: the two never hold a port at once), the replacement started
    and watched until it runs (healthy, when it has a healthcheck),
  - only then is the compose container removed. If the replacement fails to start or to become healthy, it
    is removed and the compose container is started again under its own name; the services after it are
    left running under docker compose, and adopt exits 1.
Each service is down once, for about a stop and a start. A one-shot that already completed is not run
again. Networks and volumes docker compose made are used as they are: never recreated, never removed
(only 'down --volumes' removes volumes). Afterwards 'docker compose ps' and 'logs' still show the services.
Running it again changes nothing. 'apply --adopt' does the same without printing the differences.

Options:
${MANIFEST_OPTIONS_HELP}
      --dry-run            print the differences and the plan, and stop
      --no-wait            do not wait at the end for every service to be running and healthy
      --timeout DURATION   how long a replacement may take to prove itself, e.g. 2m (default 120s)
  -h, --help               show this help

Exit codes: 0 adopted and converged, 1 error (a replacement that failed and was rolled back included).`,
  options: {
    ...manifestOptions,
    'dry-run': { type: 'boolean' },
    'no-wait': { type: 'boolean' },
    timeout: { type: 'string' },
  },
  run: (input, io) => runApply(input, io, { adopt: true, command: 'adopt' }),
};
