import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateStack } from './generate-stack.js';

// The stacks both tools run, as plain compose documents, and the edits the benchmark makes to them: an
// environment variable and a memory limit on one service. Each tool writes its own copy (see
// stack-directory.ts); nothing here touches the disk but reading the example.

export type ComposeDocument = Record<string, unknown> & { services: Record<string, Record<string, unknown>> };

export interface StackDefinition {
  /** "generated-60", "example". */
  label: string;
  document: ComposeDocument;
  /** Containers a converged stack has (services outside profiles, one replica each). */
  containers: number;
  /** A leaf service (nothing depends on it) that the change measurements edit. */
  changeTarget: string;
  /** Files copied next to compose.yaml: relative path -> absolute source path. */
  extraFiles: Record<string, string>;
}

/** A generated stack (bench/generate-stack.ts) with `restart: unless-stopped` on every service, as
 * long-running services are deployed: with restart "no", a container stopped cleanly (exit 0) reads as a
 * completed one-shot, which composelet rightly leaves alone, so `stop` would not be a fault to heal. */
export function generatedStack(services: number, options: { healthchecks: boolean; healthcheckInterval?: string } = { healthchecks: true }): StackDefinition {
  const interval = options.healthcheckInterval;
  const document = parse(generateStack({ services, healthchecks: options.healthchecks, ...(interval ? { healthcheckInterval: interval } : {}) })) as ComposeDocument;
  for (const service of Object.values(document.services)) service['restart'] = 'unless-stopped';
  const names = Object.keys(document.services).sort();
  const leaf = [...names].reverse().find((name) => document.services[name]?.['healthcheck'] === undefined) ?? names.at(-1)!;
  const label = `generated-${services}${options.healthchecks ? '' : '-no-healthchecks'}`;
  return { label, document, containers: names.length, changeTarget: leaf, extraFiles: {} };
}

/** The example platform (manifests/example), with its YAML merge keys resolved, its built image under a
 * benchmark tag (so a build never replaces the image of someone's running example) and host ports left to
 * be chosen per run (fixed ones would collide with an example already running on this engine). */
export function exampleStack(exampleDirectory: string): StackDefinition {
  const document = parse(readFileSync(join(exampleDirectory, 'compose.yaml'), 'utf8'), { merge: true }) as ComposeDocument;
  delete document['name'];
  for (const service of Object.values(document.services)) {
    if (service['build'] !== undefined) service['image'] = 'composelet-bench/platform-ui:local';
  }
  const active = Object.values(document.services).filter((service) => service['profiles'] === undefined);
  return {
    label: 'example',
    document,
    containers: active.length,
    changeTarget: 'metrics',
    extraFiles: {
      '.env': join(exampleDirectory, '.env'),
      'ui/Dockerfile': join(exampleDirectory, 'ui', 'Dockerfile'),
      'ui/index.html': join(exampleDirectory, 'ui', 'index.html'),
    },
  };
}

/** How many host ports the stack publishes (each gets a free one per tool). */
export function publishedPortCount(document: ComposeDocument): number {
  return Object.values(document.services).reduce((total, service) => total + portsOf(service).length, 0);
}

/** The document with every `IP:HOST:CONTAINER` port given the next free host port, in order. */
export function withHostPorts(document: ComposeDocument, hostPorts: readonly number[]): ComposeDocument {
  const copy = structuredClone(document);
  let next = 0;
  for (const service of Object.values(copy.services)) {
    const ports = portsOf(service);
    if (ports.length === 0) continue;
    service['ports'] = ports.map((port) => {
      const parts = typeof port === 'string' ? port.split(':') : [];
      if (parts.length !== 3) return port;
      const hostPort = hostPorts[next];
      next += 1;
      if (hostPort === undefined) throw new Error('not enough free host ports for the stack');
      return `${parts[0]}:${hostPort}:${parts[2]}`;
    });
  }
  return copy;
}

function portsOf(service: Record<string, unknown>): unknown[] {
  return Array.isArray(service['ports']) ? service['ports'] : [];
}

export function withEnvironment(document: ComposeDocument, serviceName: string, key: string, value: string): ComposeDocument {
  const copy = structuredClone(document);
  const service = serviceOf(copy, serviceName);
  const environment = service['environment'];
  if (Array.isArray(environment)) {
    service['environment'] = [...environment.filter((entry) => !String(entry).startsWith(`${key}=`)), `${key}=${value}`];
  } else {
    service['environment'] = { ...((environment as Record<string, unknown> | undefined) ?? {}), [key]: value };
  }
  return copy;
}

export function withMemoryLimit(document: ComposeDocument, serviceName: string, limit: string): ComposeDocument {
  const copy = structuredClone(document);
  serviceOf(copy, serviceName)['mem_limit'] = limit;
  return copy;
}

export function memoryLimitOf(document: ComposeDocument, serviceName: string): string {
  const limit = serviceOf(document, serviceName)['mem_limit'];
  if (typeof limit !== 'string') throw new Error(`service ${serviceName} has no mem_limit to change`);
  return limit;
}

/** "96m" -> bytes; only the units the stacks use. */
export function memoryBytes(limit: string): number {
  const match = /^(\d+)([kmg]?)b?$/i.exec(limit.trim());
  if (!match) throw new Error(`unreadable memory limit ${limit}`);
  const factor = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(match[1]) * factor;
}

function serviceOf(document: ComposeDocument, serviceName: string): Record<string, unknown> {
  const service = document.services[serviceName];
  if (!service) throw new Error(`no service ${serviceName} in the stack`);
  return service;
}
