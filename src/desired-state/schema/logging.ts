import { z } from 'zod';
import { composeObject } from './building-blocks.js';

// `logging` of a service, and the project default for it (`x-composelet.logging`), which every service
// that sets no `logging` of its own inherits whole.

export const loggingSchema = composeObject({
  driver: z.string(),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});

export type RawLogging = z.infer<typeof loggingSchema>;
