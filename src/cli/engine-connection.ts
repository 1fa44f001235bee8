import { createDockerEngine } from '../engine/docker-engine.js';
import type { EnginePort } from '../engine/engine-port.js';
import type { CliIo } from './command.js';

// The engine the CLI talks to: DOCKER_HOST or the default socket. Pinged once, so an unreachable engine
// is one clear line before anything else happens.

export function dockerHostOf(io: CliIo): { dockerHost?: string } {
  return io.env.DOCKER_HOST ? { dockerHost: io.env.DOCKER_HOST } : {};
}

export async function connectEngine(io: CliIo): Promise<EnginePort> {
  const engine = createDockerEngine(dockerHostOf(io));
  await engine.ping();
  return engine;
}
