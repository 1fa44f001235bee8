import { homedir } from 'node:os';
import { join } from 'node:path';

// Where composelet keeps what must survive a restart (crash-loop backoff, containers updated in place,
// volume records, the controller lock, ...): `--state-dir`, else $COMPOSELET_STATE_DIR, else
// /var/lib/composelet for root and $XDG_STATE_HOME/composelet (~/.local/state/composelet) for anyone else.

export function defaultStateDir(env: Readonly<Record<string, string | undefined>>, options: { uid?: number } = {}): string {
  if (env.COMPOSELET_STATE_DIR) return env.COMPOSELET_STATE_DIR;
  const uid = options.uid ?? process.getuid?.() ?? -1;
  if (uid === 0) return '/var/lib/composelet';
  const stateHome = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(stateHome, 'composelet');
}
