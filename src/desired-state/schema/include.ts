import { z } from 'zod';
import { byShape, composeObject, stringOrList } from './building-blocks.js';

// `include:` at the top level: other compose files loaded as parts of the project, each with its own project
// directory and env file. Short form: a path; long form: `path` (one or several files, merged in order),
// `project_directory` and `env_file`.

const includeEntry = byShape(
  {
    string: z.string(),
    object: composeObject({ path: stringOrList, project_directory: z.string(), env_file: stringOrList }, {}, ['path']),
  },
  'a path or a map with `path`',
);

export const includeSchema = z.array(includeEntry);
export type RawInclude = z.infer<typeof includeSchema>;

export interface IncludeEntry {
  /** As written: the first is the included project's main file, the others are merged over it. */
  paths: string[];
  projectDirectory: string | null;
  envFiles: string[];
}

export function toIncludeEntry(raw: RawInclude[number]): IncludeEntry {
  if (typeof raw === 'string') return { paths: [raw], projectDirectory: null, envFiles: [] };
  const list = (value: string | string[] | undefined) => (value === undefined ? [] : typeof value === 'string' ? [value] : value);
  return { paths: list(raw.path), projectDirectory: raw.project_directory ?? null, envFiles: list(raw.env_file) };
}
