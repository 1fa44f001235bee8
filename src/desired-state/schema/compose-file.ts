import { z } from 'zod';
import { booleanLike, byShape, composeObject, keysOf, listOrDict, stringList, type KeyPolicy } from './building-blocks.js';
import { projectSettingsSchema } from './composelet-settings.js';
import { includeSchema } from './include.js';
import { serviceKeyContexts, serviceSchema } from './service.js';
import { lifecycleHookKeyContexts } from './lifecycle-hooks.js';

// The shape of a whole compose file: top-level keys and the named networks, volumes, secrets and configs.

const nullable = <T extends z.ZodType>(schema: T) =>
  byShape({ null: z.null(), object: schema }, 'a map (or nothing)') as z.ZodType<z.infer<T> | null>;

const external = byShape(
  { boolean: z.boolean(), string: z.enum(['true', 'false']), object: composeObject({ name: z.string() }) },
  'true or false',
);
const driverOpts = z.record(z.string(), z.union([z.string(), z.number()]));

const ipamPolicy: KeyPolicy = {};
const ipamShape = {
  driver: z.string(),
  config: z.array(
    composeObject({
      subnet: z.string(),
      ip_range: z.string(),
      gateway: z.string(),
      aux_addresses: z.record(z.string(), z.string()),
    }),
  ),
  options: z.record(z.string(), z.string()),
};

const networkPolicy: KeyPolicy = { rejected: { enable_ipv4: 'turning IPv4 off needs Engine API 1.47; composelet speaks API 1.41' } };
const networkShape = {
  name: z.string(),
  driver: z.string(),
  driver_opts: driverOpts,
  ipam: composeObject(ipamShape, ipamPolicy),
  external,
  internal: booleanLike,
  attachable: booleanLike,
  enable_ipv6: booleanLike,
  labels: listOrDict,
};

const volumePolicy: KeyPolicy = {};
const volumeShape = {
  name: z.string(),
  driver: z.string(),
  driver_opts: driverOpts,
  external,
  labels: listOrDict,
};

const secretPolicy: KeyPolicy = {
  unsupported: ['external', 'labels', 'driver', 'driver_opts', 'template_driver'],
  reason: 'secrets come from a file or an environment variable',
};
const secretShape = { name: z.string(), file: z.string(), environment: z.string() };

const configPolicy: KeyPolicy = {
  unsupported: ['external', 'labels', 'template_driver'],
  reason: 'configs come from a file, an environment variable or inline content',
};
const configShape = { name: z.string(), file: z.string(), environment: z.string(), content: z.string() };

function exactlyOneSource(keys: readonly string[]) {
  return (value: Record<string, unknown> | null, context: z.RefinementCtx) => {
    if (value === null) {
      context.addIssue({ code: 'custom', message: `needs one of ${keys.join(', ')}` });
      return;
    }
    const present = keys.filter((key) => value[key] !== undefined);
    if (present.length !== 1) {
      context.addIssue({
        code: 'custom',
        message:
          present.length === 0
            ? `needs one of ${keys.join(', ')}`
            : `takes only one of ${keys.join(', ')}, not ${present.join(' and ')}`,
      });
    }
  };
}

const topLevelPolicy: KeyPolicy = {
  rejected: { models: 'models need Docker Model Runner, which the engines composelet drives do not have' },
};
// Any string: Compose normalizes it (lower case, other characters dropped; see project-name.ts).
const nameSchema = z.string();

export const composeFileShape = {
  version: z.union([z.string(), z.number()]),
  name: nameSchema,
  include: includeSchema,
  services: byShape({ null: z.null(), object: z.record(z.string(), nullable(serviceSchema)) }, 'a map of services'),
  networks: byShape({ null: z.null(), object: z.record(z.string(), nullable(composeObject(networkShape, networkPolicy))) }, 'a map of networks'),
  volumes: byShape({ null: z.null(), object: z.record(z.string(), nullable(composeObject(volumeShape, volumePolicy))) }, 'a map of volumes'),
  secrets: byShape(
    {
      null: z.null(),
      object: z.record(z.string(), nullable(composeObject(secretShape, secretPolicy)).superRefine(exactlyOneSource(['file', 'environment']))),
    },
    'a map of secrets',
  ),
  configs: byShape(
    {
      null: z.null(),
      object: z.record(
        z.string(),
        nullable(composeObject(configShape, configPolicy)).superRefine(exactlyOneSource(['file', 'environment', 'content'])),
      ),
    },
    'a map of configs',
  ),
  'x-composelet': projectSettingsSchema,
};

export const composeFileSchema = composeObject(composeFileShape, topLevelPolicy);
export type RawComposeFile = z.infer<typeof composeFileSchema>;
export type RawNetwork = z.infer<z.ZodObject<typeof networkShape>>;
export type RawVolume = z.infer<z.ZodObject<typeof volumeShape>>;
export type RawFileObject = Partial<z.infer<z.ZodObject<typeof configShape>>>;

export const keyContexts = {
  top: keysOf(composeFileShape, topLevelPolicy),
  network: keysOf(networkShape, networkPolicy),
  'network.ipam': keysOf(ipamShape, ipamPolicy),
  volume: keysOf(volumeShape, volumePolicy),
  secret: keysOf(secretShape, secretPolicy),
  config: keysOf(configShape, configPolicy),
  ...serviceKeyContexts,
  ...lifecycleHookKeyContexts,
} as const;

export { stringList };
