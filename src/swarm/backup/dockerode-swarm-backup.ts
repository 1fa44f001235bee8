import { Readable } from 'node:stream';
import Dockerode from 'dockerode';
import { StreamDemux } from '../../backup/stream-demux.js';
import { parseDockerHost } from '../../engine/docker-host.js';
import type { RawService, RawTask, SwarmBackupPort } from './swarm-backup-port.js';

// The Swarm backup port over dockerode, talking to a manager (DOCKER_HOST or the default socket).

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function createDockerodeSwarmBackup(options: { dockerHost?: string }): SwarmBackupPort {
  const docker = new Dockerode(parseDockerHost(options.dockerHost).dockerodeOptions);
  return {
    async service(name) {
      const services = (await docker.listServices({ filters: JSON.stringify({ name: [name] }) } as never)) as unknown as Raw[];
      // The name filter matches prefixes: keep the exact one.
      return (services.find((service) => service.Spec?.Name === name) as RawService | undefined) ?? null;
    },
    async tasks(serviceId) {
      return (await docker.listTasks({ filters: JSON.stringify({ service: [serviceId] }) } as never)) as unknown as RawTask[];
    },
    async nodeHostnames() {
      const nodes = (await docker.listNodes()) as Raw[];
      return new Map(nodes.map((node) => [String(node.ID), String(node.Description?.Hostname ?? '')]));
    },
    async createService(spec) {
      const created = (await docker.createService(spec as never)) as unknown as Raw;
      return created.id ?? created.ID;
    },
    async serviceLogs(serviceId) {
      const output = (await docker.getService(serviceId).logs({ stdout: true, stderr: true, follow: false } as never)) as unknown as Buffer | NodeJS.ReadableStream;
      return demultiplex(Buffer.isBuffer(output) ? output : await collect(output));
    },
    async removeService(serviceId) {
      await docker.getService(serviceId).remove();
    },
    async servicesLabelled(label) {
      const services = (await docker.listServices({ filters: JSON.stringify({ label: [label] }) } as never)) as unknown as Raw[];
      return services.map((service) => ({ id: service.ID, name: service.Spec?.Name ?? '', labels: service.Spec?.Labels ?? {}, createdMs: Date.parse(service.CreatedAt ?? '') || 0 }));
    },
  };
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** Service logs without a TTY come multiplexed, as a container's do (stream-demux.ts). */
export async function demultiplex(output: Buffer): Promise<{ stdout: Buffer; stderr: Buffer }> {
  const stderr: Buffer[] = [];
  const stdout: Buffer[] = [];
  const demux = Readable.from([output]).pipe(new StreamDemux((chunk) => stderr.push(Buffer.from(chunk))));
  for await (const chunk of demux) stdout.push(Buffer.from(chunk as Buffer));
  return { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) };
}
