import type { RawServiceBackup } from '../../desired-state/schema/backup-settings.js';

// Presets: the common case in two lines. Values written next to a preset win over the preset's.
// The postgres commands follow the official image's variables (POSTGRES_USER, POSTGRES_DB), so they work
// with it and with composelet/postgres:15; they read the exec environment, which is the container's.

const POSTGRES_USER = '"${POSTGRES_USER:-postgres}"';
const POSTGRES_DATABASE = '"${POSTGRES_DB:-${POSTGRES_USER:-postgres}}"';

export const PRESETS: Record<'postgres' | 'redis', Partial<RawServiceBackup>> = {
  postgres: {
    strategy: 'exec',
    command: `exec pg_dump -U ${POSTGRES_USER} --format=custom --compress=0 ${POSTGRES_DATABASE}`,
    restore_command: `exec pg_restore -U ${POSTGRES_USER} -d ${POSTGRES_DATABASE} --clean --if-exists --single-transaction --exit-on-error`,
    verify_command: ['pg_restore', '--list'],
    extension: 'pgdump',
  },
  redis: {
    strategy: 'redis',
    extension: 'rdb',
  },
};

export const DEFAULT_EXTENSIONS: Record<string, string> = { exec: 'dump', redis: 'rdb', volume: 'tar', files: 'tar' };
