import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHttpReceiver, type HttpReceiver } from '../../test/support/http-receiver.js';
import { createRedactor } from '../redaction/redact.js';
import { createNotifier, type DeliveryResult, type NotifierOptions } from './notifier.js';
import { parseNotifyTarget } from './targets.js';

// The notifier against a local HTTP receiver: what arrives, how often, retries and drops. Delays are
// injected (recorded, not waited).

let receiver: HttpReceiver;
beforeEach(async () => {
  receiver = await startHttpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const silent = { warn: () => undefined, debug: () => undefined };
const crashLoop = (active: boolean) => ({ kind: 'crash-loop' as const, project: 'shop', service: 'api', active });

function notifierFor(targets: string[], overrides: Partial<NotifierOptions> = {}) {
  const results: DeliveryResult[] = [];
  const delays: number[] = [];
  let clock = 0;
  const notifier = createNotifier({
    targets: targets.map(parseNotifyTarget),
    redactor: createRedactor({ key: 'test' }),
    logger: silent,
    now: () => clock,
    delay: async (ms) => void delays.push(ms),
    random: () => 0.5,
    source: 'box',
    onResult: (result) => results.push(result),
    ...overrides,
  });
  return { notifier, results, delays, advance: (ms: number) => (clock += ms) };
}

describe('createNotifier', () => {
  it('each kind of target must receive the notification in its format', async () => {
    const { notifier, results } = notifierFor([`${receiver.url}/json`, `ntfy+${receiver.url}/ops`, `slack+${receiver.url}/services/T0/B0/x`]);
    notifier.notify(crashLoop(true));
    await notifier.idle();
    const byPath = Object.fromEntries(receiver.requests.map((request) => [request.path, request]));
    expect(JSON.parse(byPath['/json']!.body)).toMatchObject({ status: 'firing', event: 'crash-loop', title: 'shop/api is crash looping' });
    expect(byPath['/ops']!.headers.title).toBe('composelet: CRITICAL: shop/api is crash looping');
    expect(JSON.parse(byPath['/services/T0/B0/x']!.body).text).toContain('shop/api is crash looping');
    expect(results).toEqual(['sent', 'sent', 'sent']);
  });

  it('the same condition must arrive once, and its end as one "resolved"', async () => {
    const { notifier, advance } = notifierFor([receiver.url]);
    notifier.notify(crashLoop(true));
    advance(60_000);
    notifier.notify(crashLoop(true));
    notifier.notify(crashLoop(false));
    notifier.notify(crashLoop(false));
    await notifier.idle();
    expect(receiver.requests.map((request) => JSON.parse(request.body).status)).toEqual(['firing', 'resolved']);
  });

  it('a failing receiver must be retried with growing, capped delays until it answers', async () => {
    receiver.respondWith(500, 503, 429);
    const { notifier, results, delays } = notifierFor([receiver.url], { retry: { attempts: 5, baseMs: 1_000, maxMs: 3_000 } });
    notifier.notify(crashLoop(true));
    await notifier.idle();
    expect(receiver.requests).toHaveLength(4);
    expect(delays).toEqual([750, 1_500, 2_250]);
    expect(results).toEqual(['sent']);
  });

  it('a receiver that rejects the request (4xx) must not be retried, and the failure counted', async () => {
    receiver.respondWith(404);
    const { notifier, results } = notifierFor([receiver.url]);
    notifier.notify(crashLoop(true));
    await notifier.idle();
    expect(receiver.requests).toHaveLength(1);
    expect(results).toEqual(['failed']);
  });

  it('notify must return at once while a receiver hangs, and drop (counted) past the queue capacity', async () => {
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    const { notifier, results } = notifierFor([receiver.url], {
      capacity: 2,
      send: async () => {
        await hanging;
        return { status: 200 };
      },
    });
    const services = ['a', 'b', 'c', 'd'];
    const started = performance.now();
    for (const service of services) notifier.notify({ kind: 'crash-loop', project: 'shop', service, active: true });
    expect(performance.now() - started).toBeLessThan(50);
    // the first is being sent, two wait, the fourth is dropped
    expect(results).toEqual(['dropped']);
    release();
    await notifier.idle();
    expect(results).toEqual(['dropped', 'sent', 'sent', 'sent']);
  });

  it('a secret in an event must be redacted before it leaves', async () => {
    const { notifier } = notifierFor([receiver.url, `ntfy+${receiver.url}/ops`]);
    notifier.notify({ kind: 'backup-failed', project: 'postgres://admin:hunter2@db/shop', backup: 'db', active: true });
    await notifier.idle();
    expect(receiver.requests).toHaveLength(2);
    for (const request of receiver.requests) {
      expect(request.body).not.toContain('hunter2');
      expect(request.body).toContain('<redacted:');
    }
  });
});
