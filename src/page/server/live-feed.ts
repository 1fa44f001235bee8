import type { ServerResponse } from 'node:http';

// Server-sent events: each connected page gets every section's markup at once, then only the sections
// whose markup changed. A change is signalled (`changed()`: an engine event, a reconcile done); the
// sections are rendered again after `debounceMs`, one render at a time (a signal during a render makes
// one more), and every `periodMs` in case nothing signalled. Nothing is rendered while no page listens, and
// no timer runs then either (an idle controller with no browser open wakes for nothing).

export interface LiveFeed {
  changed(): void;
  /** Takes over the response: headers, the first full message, then updates until the client leaves. */
  attach(response: ServerResponse, headers: Record<string, string>): Promise<void>;
  clients(): number;
  /** Ends every stream (so that the server can close) and stops the timers. */
  close(): void;
}

export interface LiveFeedOptions {
  render(): Promise<Record<string, string>>;
  debounceMs?: number;
  periodMs?: number;
  keepAliveMs?: number;
  onError?: (error: unknown) => void;
}

/** One SSE message: `event: sections` and the changed sections as JSON on one data line. */
export function formatEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The sections of `next` whose markup differs from `previous`. */
export function changedSections(previous: Readonly<Record<string, string>>, next: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(next).filter(([id, markup]) => previous[id] !== markup));
}

export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const responses = new Set<ServerResponse>();
  let last: Record<string, string> = {};
  let debounce: ReturnType<typeof setTimeout> | null = null;
  let rendering: Promise<void> | null = null;
  let again = false;
  let closed = false;

  const broadcast = async () => {
    if (responses.size === 0 || closed) return;
    const sections = await options.render();
    const changed = changedSections(last, sections);
    last = sections;
    if (Object.keys(changed).length === 0) return;
    const message = formatEvent('sections', changed);
    for (const response of responses) response.write(message);
  };
  const run = () => {
    if (rendering) {
      again = true;
      return;
    }
    rendering = broadcast()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        rendering = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  let timers: Array<ReturnType<typeof setInterval>> = [];
  const startTimers = () => {
    if (timers.length > 0) return;
    const periodic = setInterval(run, options.periodMs ?? 5_000);
    const keepAlive = setInterval(() => responses.forEach((response) => response.write(': keep-alive\n\n')), options.keepAliveMs ?? 15_000);
    periodic.unref();
    keepAlive.unref();
    timers = [periodic, keepAlive];
  };
  const stopTimers = () => {
    for (const timer of timers) clearInterval(timer);
    timers = [];
  };

  return {
    changed() {
      if (closed || responses.size === 0 || debounce !== null) return;
      debounce = setTimeout(() => {
        debounce = null;
        run();
      }, options.debounceMs ?? 50);
    },
    async attach(response, headers) {
      response.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
      response.write('retry: 1000\n\n');
      const sections = await options.render();
      if (closed) return void response.end();
      response.write(formatEvent('sections', sections));
      responses.add(response);
      startTimers();
      response.on('close', () => {
        responses.delete(response);
        if (responses.size === 0) stopTimers();
      });
    },
    clients: () => responses.size,
    close() {
      closed = true;
      stopTimers();
      if (debounce) clearTimeout(debounce);
      for (const response of responses) response.end();
      responses.clear();
    },
  };
}
