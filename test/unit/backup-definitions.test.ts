import { describe, expect, it } from 'vitest';
import { resolveBackupDefinitions } from '../../src/backup/definitions/resolve.js';
import { loadDesiredState } from '../../src/desired-state/load.js';
import type { Project } from '../../src/desired-state/model.js';
import { writeManifestTree, yaml } from '../support/manifest-files.js';

// Backup definitions in x-composelet: validated with the rest of the file (unknown keys with a
// suggestion, cron and time zone errors with their path), then resolved (presets, defaults, paths).

function load(text: string): ReturnType<typeof loadDesiredState> {
  const directory = writeManifestTree({ 'compose.yaml': text }, { directoryName: 'shop' });
  return loadDesiredState(directory, { environment: {} });
}

function projectOf(text: string): Project {
  const result = load(text);
  if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
  return result.state.projects[0]!;
}

function issuesOf(text: string): Array<{ path: string; message: string; line: number }> {
  const result = load(text);
  if (result.ok) throw new Error('expected the manifest to be rejected');
  return result.issues.map((issue) => ({ path: issue.path, message: issue.message, line: issue.line }));
}

describe('backup settings validation', () => {
  it.each([
    [
      'an unknown key must be named with a suggestion',
      yaml`
        services:
          db:
            image: composelet/postgres:15
            x-composelet:
              backup:
                preset: postgres
                retension: { keep_last: 3 }
      `,
      'services.db.x-composelet.backup.retension',
      'unknown key "retension"; did you mean "retention"?',
    ],
    [
      'a bad cron expression must be reported at its path',
      yaml`
        services:
          db:
            image: composelet/postgres:15
            x-composelet:
              backup: { preset: postgres, schedule: "61 3 * * *" }
      `,
      'services.db.x-composelet.backup.schedule',
      'invalid cron expression: Invalid value for minute: 61',
    ],
    [
      'an unknown time zone must be reported at its path',
      yaml`
        services:
          db:
            image: composelet/postgres:15
            x-composelet:
              backup:
                preset: postgres
                schedule: { cron: "0 3 * * *", timezone: Europe/Atlantis }
      `,
      'services.db.x-composelet.backup.schedule.timezone',
      'unknown time zone "Europe/Atlantis"',
    ],
    [
      'a schedule with both cron and every must be rejected',
      yaml`
        services:
          db:
            image: composelet/postgres:15
            x-composelet:
              backup: { preset: postgres, schedule: { cron: "0 3 * * *", every: 6h } }
      `,
      'services.db.x-composelet.backup.schedule',
      'set exactly one of "cron" and "every"',
    ],
    [
      'an empty retention policy must be refused',
      yaml`
        services:
          db:
            image: composelet/postgres:15
            x-composelet:
              backup: { preset: postgres, retention: { keep_last: 0 } }
      `,
      'services.db.x-composelet.backup.retention',
      'an empty retention policy would keep nothing',
    ],
    [
      'a definition without preset or strategy must say what to set',
      yaml`
        services:
          db:
            image: composelet/postgres:15
            x-composelet:
              backup: { destination: /backups }
      `,
      'services.db.x-composelet.backup',
      'set "preset" (postgres or redis) or "strategy"',
    ],
    [
      'an exec strategy without a command must be rejected',
      yaml`
        services:
          db:
            image: composelet/postgres:15
            x-composelet:
              backup: { strategy: exec }
      `,
      'services.db.x-composelet.backup',
      'strategy "exec" needs a "command"',
    ],
    [
      'a key of another strategy must be rejected',
      yaml`
        services:
          db:
            image: composelet/postgres:15
            x-composelet:
              backup: { strategy: volume, command: pg_dumpall }
      `,
      'services.db.x-composelet.backup.command',
      '"command" does not apply to strategy "volume"',
    ],
    [
      'a preset with a strategy it does not use must be rejected',
      yaml`
        services:
          cache:
            image: composelet/redis:7
            x-composelet:
              backup: { preset: redis, strategy: volume }
      `,
      'services.cache.x-composelet.backup.strategy',
      'preset "redis" uses strategy "redis"',
    ],
    [
      'a project-level backup must name its service',
      yaml`
        services:
          db:
            image: composelet/postgres:15
        x-composelet:
          backups:
            nightly: { preset: postgres }
      `,
      'x-composelet.backups.nightly',
      'service',
    ],
    [
      'relative paths for files must be rejected',
      yaml`
        services:
          web:
            image: composelet/busybox:1
            x-composelet:
              backup: { strategy: files, paths: [etc/app] }
      `,
      'services.web.x-composelet.backup.paths[0]',
      'must be an absolute path',
    ],
  ])('%s', (_title, text, path, message) => {
    const issues = issuesOf(text);
    const match = issues.find((issue) => issue.path === path && issue.message.includes(message));
    expect(match, JSON.stringify(issues, null, 2)).toBeDefined();
    expect(match!.line).toBeGreaterThan(0);
  });
});

describe('resolveBackupDefinitions', () => {
  it('the postgres preset must be two lines and fill in pg_dump, pg_restore and the check', () => {
    const project = projectOf(yaml`
      services:
        db:
          image: composelet/postgres:15
          x-composelet:
            backup: { preset: postgres }
    `);
    const { definitions, problems } = resolveBackupDefinitions(project, { defaultDestination: '/srv/backups' });
    expect(problems).toEqual([]);
    expect(definitions).toHaveLength(1);
    expect(definitions[0]).toMatchObject({
      name: 'db',
      service: 'db',
      origin: 'service',
      strategy: 'exec',
      extension: 'pgdump',
      compress: 'gzip',
      directory: '/srv/backups/shop/db',
      beforeRecreate: true,
      verifyCommand: ['pg_restore', '--list'],
      schedule: null,
      retention: null,
    });
    expect(definitions[0]!.command!.join(' ')).toContain('pg_dump');
    expect(definitions[0]!.restoreCommand!.join(' ')).toContain('--clean --if-exists');
  });

  it('a full project-level definition must be resolved with its schedule, retention and volume', () => {
    const project = projectOf(yaml`
      services:
        files:
          image: composelet/busybox:1
          volumes: [content:/srv]
      volumes:
        content: {}
      x-composelet:
        backups:
          content-nightly:
            service: files
            strategy: volume
            stop_service: true
            schedule: { cron: "0 3 * * *", timezone: Europe/Berlin }
            retention: { keep_last: 2, keep_daily: 7 }
            destination: backups
            compress: none
            before_recreate: false
            timeout: 10m
            pre: ["sync"]
            post: [[echo, done]]
    `);
    const [definition] = resolveBackupDefinitions(project).definitions;
    expect(definition).toMatchObject({
      name: 'content-nightly',
      origin: 'project',
      strategy: 'volume',
      stopService: true,
      volume: { key: 'content', name: 'shop_content' },
      retention: { keepLast: 2, keepDaily: 7, keepWeekly: 0, keepMonthly: 0 },
      destination: `${project.workingDir}/backups`,
      compress: 'none',
      beforeRecreate: false,
      timeoutMs: 600_000,
      pre: [['sh', '-c', 'sync']],
      post: [['echo', 'done']],
    });
    expect(definition!.schedule).toMatchObject({ kind: 'cron', timeZone: 'Europe/Berlin' });
  });

  it('what the schema cannot see must be reported by the loader with file, line and path', () => {
    const issues = issuesOf(yaml`
      services:
        files:
          image: composelet/busybox:1
          x-composelet:
            backup: { strategy: volume }
      x-composelet:
        backups:
          files: { service: files, strategy: files, paths: [/etc] }
          other: { service: ghost, strategy: files, paths: [/etc] }
    `);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'services.files.x-composelet.backup.volume', message: 'the service mounts no named volume: set "volume"', line: 5 }),
        expect.objectContaining({ path: 'x-composelet.backups.files', message: 'the name "files" is already used by services.files.x-composelet.backup', line: 8 }),
        expect.objectContaining({ path: 'x-composelet.backups.other.service', message: 'service "ghost" is not defined', line: 9 }),
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it('the definition hash must change with the definition and only then', () => {
    const text = (keep: number) => yaml`
      services:
        db:
          image: composelet/postgres:15
          x-composelet:
            backup: { preset: postgres, retention: { keep_last: ${keep} } }
    `;
    const hash = (keep: number) => resolveBackupDefinitions(projectOf(text(keep)), { defaultDestination: '/b' }).definitions[0]!.definitionHash;
    expect(hash(3)).toBe(hash(3));
    expect(hash(3)).not.toBe(hash(4));
  });
});
