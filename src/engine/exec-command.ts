import type { ExecCommandOptions } from './engine-port.js';

// Running a command in a container as `docker compose up -d` runs a lifecycle hook (pkg/compose/hook.go
// `runWaitExec`): create the exec, start it detached, then inspect it until it no longer runs. The
// engine has no "wait for exec" call, so the inspections back off from 10 ms to 100 ms.

export type EngineCall = <T>(request: { method: 'GET' | 'POST'; path: string; body?: unknown }) => Promise<T>;

export async function execCommand(
  call: EngineCall,
  containerId: string,
  options: ExecCommandOptions,
  delay: (milliseconds: number) => Promise<void> = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
): Promise<{ exitCode: number }> {
  const created = await call<{ Id: string }>({
    method: 'POST',
    path: `/containers/${encodeURIComponent(containerId)}/exec`,
    body: execBody(options),
  });
  const exec = `/exec/${encodeURIComponent(created.Id)}`;
  await call({ method: 'POST', path: `${exec}/start`, body: { Detach: true, Tty: false } });
  for (let attempt = 0; ; attempt += 1) {
    const inspected = await call<{ Running: boolean; ExitCode: number | null }>({ method: 'GET', path: `${exec}/json` });
    if (!inspected.Running) return { exitCode: inspected.ExitCode ?? -1 };
    await delay(Math.min(100, 10 * (attempt + 1)));
  }
}

/** The body of POST /containers/{id}/exec; nothing attached (the output is not kept). */
export function execBody(options: ExecCommandOptions): Record<string, unknown> {
  return {
    Cmd: options.command,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    Privileged: options.privileged,
    ...(options.user !== null ? { User: options.user } : {}),
    ...(options.workingDir !== null ? { WorkingDir: options.workingDir } : {}),
    Env: Object.entries(options.environment).map(([key, value]) => `${key}=${value}`),
  };
}
