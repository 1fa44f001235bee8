import { isAbsolute, join, resolve } from 'node:path';
import { canonicalJson, sha256Hex } from '../../desired-state/canonical-json.js';
import type { Project, Service } from '../../desired-state/model.js';
import { projectBackupsSchema, serviceBackupSchema, type RawServiceBackup } from '../../desired-state/schema/backup-settings.js';
import { toBoolean } from '../../desired-state/schema/building-blocks.js';
import { parseDuration } from '../../desired-state/syntax/duration.js';
import { parseCron } from '../schedule/cron-expression.js';
import { DEFAULT_BACKUP_DESTINATION, DEFAULT_TIMEOUT_MS, type BackupDefinition, type BackupSchedule, type RetentionPolicy } from './definition.js';
import { DEFAULT_EXTENSIONS, PRESETS } from './presets.js';

// The project's backup definitions, from service `x-composelet.backup` and project
// `x-composelet.backups`. The schema has already checked each value; what it cannot see (the service
// exists, the volume is declared, names are unique) is reported here as problems with their path.

export interface DefinitionProblem {
  path: Array<string | number>;
  message: string;
}

export interface ResolveOptions {
  /** Root of artifacts when a definition names none (default /var/lib/composelet/backups). */
  defaultDestination?: string;
}

export function resolveBackupDefinitions(project: Project, options: ResolveOptions = {}): { definitions: BackupDefinition[]; problems: DefinitionProblem[] } {
  const definitions: BackupDefinition[] = [];
  const problems: DefinitionProblem[] = [];
  const defaultDestination = options.defaultDestination ?? DEFAULT_BACKUP_DESTINATION;
  for (const service of Object.values(project.services)) {
    const raw = service.composelet.backup;
    if (raw === undefined) continue;
    const parsed = serviceBackupSchema.safeParse(raw);
    if (!parsed.success) continue; // reported by the loader
    const path = ['services', service.name, 'x-composelet', 'backup'];
    const definition = build(project, service, service.name, 'service', parsed.data, defaultDestination, (at, message) => problems.push({ path: [...path, ...at], message }));
    if (definition) definitions.push(definition);
  }
  const projectLevel = project.composelet.backups === undefined ? undefined : projectBackupsSchema.safeParse(project.composelet.backups);
  for (const [name, raw] of Object.entries(projectLevel?.success ? projectLevel.data : {})) {
    const path = ['x-composelet', 'backups', name];
    if (raw.service === undefined) continue; // reported by the loader
    const service = project.services[raw.service];
    if (!service) {
      if (!project.inactiveServices.includes(raw.service)) problems.push({ path: [...path, 'service'], message: `service "${raw.service}" is not defined` });
      continue;
    }
    if (project.services[name]?.composelet.backup !== undefined) {
      problems.push({ path, message: `the name "${name}" is already used by services.${name}.x-composelet.backup` });
      continue;
    }
    const definition = build(project, service, name, 'project', raw, defaultDestination, (at, message) => problems.push({ path: [...path, ...at], message }));
    if (definition) definitions.push(definition);
  }
  definitions.sort((left, right) => left.name.localeCompare(right.name));
  return { definitions, problems };
}

/** The project's definitions; throws when one has a problem the schema could not see. */
export function backupDefinitionsOf(project: Project, options: ResolveOptions = {}): BackupDefinition[] {
  const { definitions, problems } = resolveBackupDefinitions(project, options);
  if (problems.length > 0) {
    throw new Error(`backup definitions of project ${project.name}: ${problems.map((problem) => `${problem.path.join('.')}: ${problem.message}`).join('; ')}`);
  }
  return definitions;
}

type Report = (path: Array<string | number>, message: string) => void;

function build(project: Project, service: Service, name: string, origin: BackupDefinition['origin'], written: RawServiceBackup, defaultDestination: string, report: Report): BackupDefinition | null {
  const raw: RawServiceBackup = { ...(written.preset ? PRESETS[written.preset] : {}), ...written };
  const strategy = raw.strategy!;
  const volume = strategy === 'volume' ? resolveVolume(project, service, raw.volume, report) : null;
  if (strategy === 'volume' && volume === null) return null;
  const destinationRoot = raw.destination === undefined ? defaultDestination : isAbsolute(raw.destination) ? raw.destination : resolve(project.workingDir, raw.destination);
  const definition: Omit<BackupDefinition, 'definitionHash'> = {
    projectName: project.name,
    name,
    service: service.name,
    origin,
    preset: written.preset ?? null,
    strategy,
    command: commandLine(raw.command),
    restoreCommand: commandLine(raw.restore_command),
    verifyCommand: commandLine(raw.verify_command),
    user: raw.user ?? null,
    extension: raw.extension ?? DEFAULT_EXTENSIONS[strategy]!,
    paths: raw.paths ?? [],
    volume,
    helperImage: raw.helper_image ?? null,
    stopService: toBoolean(raw.stop_service as boolean | string | undefined) ?? false,
    schedule: scheduleOf(raw.schedule),
    retention: retentionOf(raw.retention),
    destination: destinationRoot,
    directory: join(destinationRoot, project.name, service.name),
    compress: raw.compress ?? 'gzip',
    pre: (raw.pre ?? []).map((entry) => commandLine(entry)!),
    post: (raw.post ?? []).map((entry) => commandLine(entry)!),
    beforeRecreate: toBoolean(raw.before_recreate as boolean | string | undefined) ?? true,
    timeoutMs: raw.timeout === undefined ? DEFAULT_TIMEOUT_MS : nanosecondsToMs(raw.timeout),
  };
  return { ...definition, definitionHash: sha256Hex(canonicalJson(definition)) };
}

function resolveVolume(project: Project, service: Service, key: string | undefined, report: Report): BackupDefinition['volume'] {
  if (key !== undefined) {
    const volume = project.volumes[key];
    if (!volume) {
      report(['volume'], `volume "${key}" is not declared under the top-level \`volumes:\``);
      return null;
    }
    return { key, name: volume.name };
  }
  const named = [...new Set(service.volumes.filter((mount) => mount.type === 'volume' && mount.source !== null).map((mount) => mount.source!))];
  if (named.length !== 1 || !project.volumes[named[0]!]) {
    report(['volume'], named.length === 0 ? 'the service mounts no named volume: set "volume"' : `the service mounts several named volumes (${named.join(', ')}): set "volume"`);
    return null;
  }
  return { key: named[0]!, name: project.volumes[named[0]!]!.name };
}

export function commandLine(value: string | string[] | undefined): string[] | null {
  if (value === undefined) return null;
  return typeof value === 'string' ? ['sh', '-c', value] : [...value];
}

function nanosecondsToMs(value: string | number): number {
  const parsed = parseDuration(value);
  return parsed.ok ? Math.round(parsed.value / 1_000_000) : DEFAULT_TIMEOUT_MS;
}

function scheduleOf(raw: RawServiceBackup['schedule']): BackupSchedule | null {
  if (raw === undefined) return null;
  const written = typeof raw === 'string' ? { cron: raw } : (raw as { cron?: string; timezone?: string; every?: string | number });
  if (written.every !== undefined) return { kind: 'interval', text: `every ${String(written.every)}`, everyMs: nanosecondsToMs(written.every) };
  const parsed = parseCron(written.cron!);
  if (!parsed.ok) return null;
  const timeZone = written.timezone ?? 'UTC';
  return { kind: 'cron', text: `${written.cron!} (${timeZone})`, expression: parsed.value, timeZone };
}

function retentionOf(raw: RawServiceBackup['retention']): RetentionPolicy | null {
  if (raw === undefined) return null;
  const value = (entry: unknown) => (entry === undefined ? 0 : Number(entry));
  const written = raw as Record<string, unknown>;
  return { keepLast: value(written.keep_last), keepDaily: value(written.keep_daily), keepWeekly: value(written.keep_weekly), keepMonthly: value(written.keep_monthly) };
}
