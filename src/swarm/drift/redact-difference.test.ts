import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../redaction/redact.js';
import { redactDifference } from './redact-difference.js';

const redactor = createRedactor({ key: 'test' });

describe('redactDifference', () => {
  it.each([
    ['/TaskTemplate/ContainerSpec/Env', ['DB_PASSWORD=hunter22', 'A=1'], ['DB_PASSWORD=changed22']],
    ['/TaskTemplate/ContainerSpec/Env/0', 'DB_PASSWORD=hunter22', 'DB_PASSWORD=changed22'],
    ['/TaskTemplate/ContainerSpec/Args/1', '--token=hunter22', '--token=changed22'],
    ['/TaskTemplate/ContainerSpec/Command', ['sh', '-c', 'run hunter22'], ['sh']],
    ['/TaskTemplate/ContainerSpec/Labels/api.key', 'hunter22', 'changed22'],
    ['/Labels/api.key', 'hunter22', 'changed22'],
  ])('a difference at %s must show markers, never the values', (path, desired, observed) => {
    const shown = redactDifference({ path, desired, observed }, redactor);
    expect(JSON.stringify(shown)).not.toMatch(/hunter22|changed22/);
    expect(shown.desired).toMatch(/^<redacted:[0-9a-f]{8}>$/);
    expect(shown.observed).not.toBe(shown.desired);
  });

  it('limits, images and replicas must be shown as they are, an absent side as null', () => {
    expect(redactDifference({ path: '/TaskTemplate/Resources/Limits/MemoryBytes', desired: 33554432, observed: 67108864 }, redactor)).toEqual({
      path: '/TaskTemplate/Resources/Limits/MemoryBytes',
      desired: 33554432,
      observed: 67108864,
    });
    expect(redactDifference({ path: '/Mode/Replicated/Replicas', desired: 3, observed: undefined }, redactor)).toEqual({ path: '/Mode/Replicated/Replicas', desired: 3, observed: null });
  });
});
