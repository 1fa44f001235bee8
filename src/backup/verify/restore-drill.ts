import type { ArtifactManifest, VerificationCheck } from '../artifacts/manifest.js';
import type { BackupEngine } from '../backup-engine.js';
import { helperLabels, lastLines } from '../strategies/strategy.js';
import { contentStream } from './content-checks.js';

// A restore drill: the backup restored into a throwaway server of the same image, without network, and
// a count of what came back. For postgres (a fresh cluster in a temporary directory, pg_restore, a count
// of user tables) and redis (a server loading the RDB file, DBSIZE). Pass or fail, with timings.

const POSTGRES_DRILL = `set -e
export PGDATA="$(mktemp -d)"
initdb -D "$PGDATA" -U postgres --auth=trust >/dev/null </dev/null
pg_ctl -D "$PGDATA" -o "-k /tmp -c listen_addresses=''" -l "$PGDATA/drill.log" -w start >/dev/null </dev/null
pg_restore -h /tmp -U postgres -d postgres --exit-on-error --no-owner
psql -h /tmp -U postgres -d postgres -Atc "select count(*) from pg_stat_user_tables" </dev/null
pg_ctl -D "$PGDATA" -m immediate stop >/dev/null </dev/null`;

const REDIS_DRILL = `set -e
dir="$(mktemp -d)"
cat >"$dir/dump.rdb"
redis-server --dir "$dir" --dbfilename dump.rdb --port 0 --unixsocket "$dir/redis.sock" --save '' --appendonly no --daemonize yes >/dev/null
tries=0
until [ "$(redis-cli -s "$dir/redis.sock" ping 2>/dev/null)" = PONG ]; do
  tries=$((tries + 1)); [ "$tries" -lt 600 ] || { echo "redis did not load the file" >&2; exit 1; }; sleep 0.1
done
redis-cli -s "$dir/redis.sock" dbsize
redis-cli -s "$dir/redis.sock" shutdown nosave >/dev/null 2>&1 || true`;

export function drillFor(manifest: ArtifactManifest): { script: string; user: string | null; unit: string } | null {
  if (manifest.preset === 'postgres') return { script: POSTGRES_DRILL, user: 'postgres', unit: 'tables' };
  if (manifest.strategy === 'redis') return { script: REDIS_DRILL, user: null, unit: 'keys' };
  return null;
}

export async function restoreDrill(engine: BackupEngine, path: string, manifest: ArtifactManifest): Promise<VerificationCheck> {
  const started = Date.now();
  const drill = drillFor(manifest);
  if (!drill) return { name: 'restore drill', ok: true, detail: `no drill for strategy ${manifest.strategy}: skipped`, durationMs: 0 };
  if (!manifest.image) return { name: 'restore drill', ok: false, detail: 'the manifest names no image', durationMs: 0 };
  try {
    const result = await engine.runThrowaway({
      image: manifest.image,
      entrypoint: ['sh', '-c', drill.script],
      command: [],
      user: drill.user,
      stdin: contentStream(path, manifest),
      labels: helperLabels(manifest.project),
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.exitCode !== 0) return { name: 'restore drill', ok: false, detail: `failed after ${seconds}s: ${lastLines(result.stderr || result.stdout)}`, durationMs: Date.now() - started };
    const count = result.stdout.trim().split('\n').pop() ?? '?';
    return { name: 'restore drill', ok: true, detail: `restored into a throwaway ${manifest.image} in ${seconds}s: ${count} ${drill.unit}`, durationMs: Date.now() - started };
  } catch (error) {
    return { name: 'restore drill', ok: false, detail: (error as Error).message, durationMs: Date.now() - started };
  }
}
