import { z } from 'zod';
import { booleanLike, byShape, composeObject, keysOf, listOrDict, stringList } from './building-blocks.js';

// `post_start` and `pre_stop`: lists of commands run inside the container (exec) right after it starts
// and right before it is stopped. Each hook is the Compose spec's `service_hook`.

const hookShape = {
  command: byShape({ string: z.string(), array: stringList }, 'a string or a list of strings'),
  user: z.string(),
  privileged: booleanLike,
  working_dir: z.string(),
  environment: listOrDict,
};

export const lifecycleHook = composeObject(hookShape, {}, ['command']);
export const lifecycleHooks = z.array(lifecycleHook);
export type RawLifecycleHook = z.infer<typeof lifecycleHook>;

/** The hook's keys, for the test that checks the schema against the Compose spec. */
export const lifecycleHookKeyContexts = {
  'service.post_start': keysOf(hookShape, {}),
  'service.pre_stop': keysOf(hookShape, {}),
} as const;
