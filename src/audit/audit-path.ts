import { homedir } from 'node:os';
import { join } from 'node:path';

/** $COMPOSELET_AUDIT_LOG, else $XDG_STATE_HOME/composelet/audit.log, else ~/.local/state/composelet/audit.log. */
export function defaultAuditLogPath(env: Readonly<Record<string, string | undefined>>): string {
  if (env.COMPOSELET_AUDIT_LOG) return env.COMPOSELET_AUDIT_LOG;
  const stateHome = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(stateHome, 'composelet', 'audit.log');
}
