// Whether a process of this host still runs (a signal 0 reaches it, or it exists but is not ours to signal).
// Backup locks and helper containers name their owner by pid and host; a dead owner's leftovers may go.

export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
