import { readFileSync } from 'node:fs';
import type { Project } from '../../desired-state/model.js';

// Swarm configs and secrets carry their content (there is no host path to bind on another node): a file
// source is read here, when the desired state is made, so the planner stays free of I/O. Keyed
// `secrets/<key>` and `configs/<key>`; external ones are not read (they exist on the cluster already).

export function readFileObjectContents(project: Pick<Project, 'secrets' | 'configs'>): Record<string, string> {
  const contents: Record<string, string> = {};
  for (const [kind, objects] of [['secrets', project.secrets], ['configs', project.configs]] as const) {
    for (const [key, object] of Object.entries(objects)) {
      if (object.value !== null) contents[`${kind}/${key}`] = object.value;
      else if (object.file !== null) contents[`${kind}/${key}`] = readFileSync(object.file, 'utf8');
    }
  }
  return contents;
}
