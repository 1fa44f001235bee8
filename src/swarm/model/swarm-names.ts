import { sha256Hex } from '../../desired-state/canonical-json.js';

// Names of a project's Swarm objects, as `docker stack deploy` names them (`<project>_<key>`), so `docker
// service ls` reads the same. Configs and secrets are immutable in Swarm: their name carries the first 12
// hex digits of the content's SHA-256, and a changed content is a new object the service switches to.

export function serviceName(projectName: string, service: string): string {
  return `${projectName}_${service}`;
}

export function fileObjectName(projectName: string, key: string, content: string): string {
  return `${projectName}_${key}_${contentHash(content).slice(0, 12)}`;
}

export function contentHash(content: string): string {
  return sha256Hex(content);
}
