import { describe, expect, it } from 'vitest';
import { convergedContainer, projectFromYaml, repeatedId } from '../../reconciler/observe/observed-builders.test-support.js';
import { STALE_TASK_REASON, StaleTaskTracker } from './stale-tasks.js';

const STACK = projectFromYaml(['name: demo', 'services:', '  db:', '    image: postgres:16'].join('\n'));

describe('StaleTaskTracker', () => {
  it('a refused container must be recreated while it exists, and forgotten once it is gone', () => {
    const refused = convergedContainer(STACK, 'db', 1, { id: repeatedId('a'), state: 'exited' });
    const tracker = new StaleTaskTracker();
    expect(tracker.directives([refused])).toEqual({});
    tracker.record(refused.id);
    expect(tracker.directives([refused])).toEqual({ 'demo-db-1': STALE_TASK_REASON });
    const replacement = convergedContainer(STACK, 'db', 1, { id: repeatedId('b') });
    expect(tracker.directives([replacement])).toEqual({});
    expect(tracker.directives([refused])).toEqual({});
  });
});
