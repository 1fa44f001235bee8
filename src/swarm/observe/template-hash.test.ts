import { describe, expect, it } from 'vitest';
import { templateHash } from './template-hash.js';

// Bodies as the engine (API 1.41) returned them on the test cluster: a service's TaskTemplate and its task's Spec.
const serviceTemplate = { ContainerSpec: { Image: 'busybox', Args: ['sleep', '1000'], Init: false, DNSConfig: {}, Isolation: 'default' }, Resources: { Limits: { MemoryBytes: 33554432 }, Reservations: {} }, Placement: {}, ForceUpdate: 0, Runtime: 'container' };
const taskSpec = { ContainerSpec: { Image: 'busybox', Args: ['sleep', '1000'], Init: false, DNSConfig: {}, Isolation: 'default' }, Resources: { Limits: { MemoryBytes: 33554432 }, Reservations: {} }, Placement: {}, ForceUpdate: 0 };

describe('templateHash', () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ['the task made from the current TaskTemplate', taskSpec, true],
    ['a task of the previous spec (another limit)', { ...taskSpec, Resources: { Limits: { MemoryBytes: 1 }, Reservations: {} } }, false],
    ['a task made before a forced update', { ...taskSpec, ForceUpdate: 1 }, false],
  ])('%s', (_name, task, same) => {
    expect(templateHash(task) === templateHash(serviceTemplate)).toBe(same);
  });

  it('is null without a spec', () => {
    expect(templateHash(undefined)).toBeNull();
  });
});
