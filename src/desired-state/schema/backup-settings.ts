import { z } from 'zod';

// `x-composelet.backup` (service level) and `x-composelet.backups` (project level): filled by backups.
export const serviceBackupSchema: z.ZodType<unknown> = z.unknown();
export const projectBackupsSchema: z.ZodType<unknown> = z.unknown();
