import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';

// GET and PUT /containers/{id}/archive: copying files out of and into a container as tar streams, both
// streamed. They work on stopped and never-started containers too (the engine mounts their volumes).

export async function getContainerArchive(docker: Dockerode, containerId: string, path: string): Promise<Readable> {
  try {
    return (await docker.getContainer(containerId).getArchive({ path })) as unknown as Readable;
  } catch (error) {
    throw engineCallError(`copy ${path} out of container ${containerId.slice(0, 12)}`, error);
  }
}

export async function putContainerArchive(docker: Dockerode, containerId: string, path: string, tar: Readable): Promise<void> {
  try {
    const response: unknown = await docker.getContainer(containerId).putArchive(tar, { path });
    if (response && typeof (response as Readable).resume === 'function') (response as Readable).resume();
  } catch (error) {
    throw engineCallError(`copy into ${path} of container ${containerId.slice(0, 12)}`, error);
  }
}

/** The engine's own message ("Could not find the file ...") when it sent one. */
export function engineCallError(operation: string, error: unknown): Error {
  const detail = (error as { json?: { message?: string } }).json?.message ?? (error as Error).message ?? String(error);
  return new Error(`${operation}: ${detail.trim()}`, { cause: error });
}
