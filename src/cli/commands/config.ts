import { stringify } from 'yaml';
import { redactProject } from '../../redaction/redact-project.js';
import { createRedactor } from '../../redaction/redact.js';
import { write, type Command } from '../command.js';
import { loadOrThrow, MANIFEST_OPTIONS_HELP, manifestOptions } from '../manifest-options.js';

// `composelet config PATH`: the normalized model, like `docker compose config`, secrets redacted.

export const configCommand: Command = {
  name: 'config',
  summary: 'print the normalized desired state (secret values redacted)',
  help: `Usage: composelet config PATH [options]

Prints the normalized model of every project under PATH: canonical ports, volumes, durations (ns),
sizes (bytes), sorted environment, the dependency graph and each service's spec hash. Values of
secret-looking keys, values from .env or an env_file, secret and config contents and credentials
inside URLs are replaced by <redacted:…>, field by field: names, images, paths and numbers never change.

Options:
${MANIFEST_OPTIONS_HELP}
      --json               JSON instead of YAML
  -h, --help               show this help`,
  options: { ...manifestOptions, json: { type: 'boolean' } },
  async run(input, io) {
    const state = loadOrThrow(input, io);
    const redactor = createRedactor(io.env.COMPOSELET_REDACTION_KEY ? { key: io.env.COMPOSELET_REDACTION_KEY } : {});
    const projects = state.projects.map((project) => redactProject(project, redactor));
    write(io.stdout, input.values.json ? JSON.stringify({ projects }, null, 2) : stringify({ projects }, { aliasDuplicateObjects: false }));
    return 0;
  },
};
