import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import { engineEvents } from '../../src/controller/sources/engine-events.js';
import type { EngineSignal } from '../../src/controller/sources/engine-signal.js';
import type { EnginePort } from '../../src/engine/engine-port.js';
import { COMPOSE_PROJECT, OWNED_BY_COMPOSELET } from '../../src/reconciler/labels.js';
import { TERM_AWARE_COMMAND, TEST_IMAGE, removeProjectObjects, testEngine, uniqueProjectName } from '../support/engine.js';
import { eventually } from '../support/eventually.js';

let engine: EnginePort;
let projectName: string;
let subscription: Subscription | null = null;

beforeEach(() => {
  engine = testEngine();
  projectName = uniqueProjectName('events-source');
});

afterEach(async () => {
  subscription?.unsubscribe();
  subscription = null;
  await removeProjectObjects(engine, projectName);
});

async function startContainer(name: string, labels: Record<string, string>): Promise<string> {
  const { Id } = await engine.createContainer(`${projectName}-${name}`, {
    Image: TEST_IMAGE,
    Cmd: TERM_AWARE_COMMAND,
    Labels: { [COMPOSE_PROJECT]: projectName, ...labels },
  });
  await engine.startContainer(Id);
  return Id;
}

describe('engineEvents against the engine', () => {
  it('must map the death of an owned container to its project and ignore containers nobody owns', async () => {
    const signals: EngineSignal[] = [];
    const statuses: string[] = [];
    subscription = engineEvents({ engine, onStatus: (status) => statuses.push(status) }).subscribe((signal) =>
      signals.push(signal),
    );
    await eventually(() => expect(statuses).toContain('connected'), { message: 'event stream connected' });

    const unownedId = await startContainer('unowned', {});
    const ownedId = await startContainer('owned', { [OWNED_BY_COMPOSELET]: 'true' });
    await engine.killContainer(unownedId);
    await engine.killContainer(ownedId);

    await eventually(
      () => {
        const died = signals.find(
          (signal) => signal.kind === 'event' && signal.event.Action === 'die' && signal.event.Actor.ID === ownedId,
        );
        expect(died).toMatchObject({ kind: 'event', project: projectName });
      },
      { message: 'die event of the owned container' },
    );
    const fromUnowned = signals.filter((signal) => signal.kind === 'event' && signal.event.Actor.ID === unownedId);
    expect(fromUnowned).toEqual([]);
    expect(statuses).toEqual(['connected']);
  });
});
