import { z } from 'zod';

// `x-composelet.policy` (project and service level): filled by the policy rules.
export const policySettingsSchema: z.ZodType<unknown> = z.unknown();
