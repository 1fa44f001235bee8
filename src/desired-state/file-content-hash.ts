import { canonicalJson, sha256Hex } from './canonical-json.js';
import type { FileObject, FileReference, Project, Service } from './model.js';
import { hashedFields } from './spec-hash.js';

// A secret or config copied into the container (source `environment` or `content`) is part of what the
// container is: when its value changes, the container must be recreated. The spec hash of a service
// that uses such a file therefore also covers a SHA-256 of each value (`fileContentHashes`, by
// `secrets/<name>` and `configs/<name>`); services that use none keep the hash they had, so existing
// containers are not recreated by this. File sources are bind-mounted and read live, as in Compose.

type ProjectWithoutGraph = Omit<Project, 'graph'>;

export function withFileContentHashes<P extends ProjectWithoutGraph>(project: P): P {
  const services: Record<string, Service> = {};
  for (const [name, service] of Object.entries(project.services)) {
    const hashes = fileContentHashes(project, service);
    services[name] = Object.keys(hashes).length === 0 ? service : { ...service, specHash: specHashWithFiles(service, hashes) };
  }
  return { ...project, services };
}

/** `secrets/<name>` / `configs/<name>` -> SHA-256 of the value, for the files the service gets by copy. */
export function fileContentHashes(project: Pick<Project, 'secrets' | 'configs'>, service: Pick<Service, 'secrets' | 'configs'>): Record<string, string> {
  const hashes: Record<string, string> = {};
  const add = (kind: 'secrets' | 'configs', references: FileReference[], objects: Record<string, FileObject>) => {
    for (const reference of references) {
      const value = objects[reference.source]?.value ?? null;
      if (value !== null) hashes[`${kind}/${reference.source}`] = sha256Hex(value);
    }
  };
  add('secrets', service.secrets, project.secrets);
  add('configs', service.configs, project.configs);
  return hashes;
}

function specHashWithFiles(service: Service, fileContentHashes: Record<string, string>): string {
  return sha256Hex(canonicalJson({ ...hashedFields(service), fileContentHashes }));
}
