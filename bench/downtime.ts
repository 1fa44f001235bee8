// How long and how often each service was down while a tool replaced its containers, from two sources:
// HTTP polls of the ports a service publishes (what a client sees) and the engine's container `die` and
// `start` events (for services that publish no port). Pure: the samples come from port-poller.ts and
// event-recorder.ts.

export interface PollSample {
  /** performance.now() when the answer (or the failure) arrived. */
  at: number;
  answered: boolean;
}

export interface ContainerEvent {
  action: 'die' | 'start';
  containerId: string;
  at: number;
}

export interface Outage {
  /** Times the service went from answering (running) to not. */
  outages: number;
  /** Polls: the longest time between two answers (at least the poll interval). Events: the longest time
   * no container of the service ran. Up to the end of the window when it ended down. */
  longestGapMs: number;
  endedDown: boolean;
}

export interface ServiceDowntime {
  service: string;
  /** Where the gap comes from: the service's published port(s), or engine events. */
  source: 'port' | 'events';
  outages: number;
  longestGapMs: number;
  leftDown: boolean;
}

/** Polls that start with an answer (the window opens once the port answers), up to `endAt`. */
export function pollOutage(samples: readonly PollSample[], endAt: number): Outage {
  let outages = 0;
  let longestGapMs = 0;
  let lastAnswer: number | null = null;
  let down = false;
  for (const sample of samples) {
    if (sample.answered) {
      if (lastAnswer !== null) longestGapMs = Math.max(longestGapMs, sample.at - lastAnswer);
      lastAnswer = sample.at;
      down = false;
    } else if (!down) {
      down = true;
      outages += 1;
    }
  }
  if (down && lastAnswer !== null) longestGapMs = Math.max(longestGapMs, endAt - lastAnswer);
  return { outages, longestGapMs, endedDown: down };
}

/** One service's events: down whenever none of its containers runs (a replacement started before the old
 * container stopped is no outage). */
export function eventOutage(events: readonly ContainerEvent[], window: { runningAtStart: readonly string[]; endAt: number }): Outage {
  const running = new Set(window.runningAtStart);
  let outages = 0;
  let longestGapMs = 0;
  let downSince: number | null = null;
  for (const event of [...events].sort((left, right) => left.at - right.at)) {
    if (event.action === 'start') running.add(event.containerId);
    else running.delete(event.containerId);
    if (running.size === 0 && downSince === null) {
      downSince = event.at;
      outages += 1;
    } else if (running.size > 0 && downSince !== null) {
      longestGapMs = Math.max(longestGapMs, event.at - downSince);
      downSince = null;
    }
  }
  if (downSince !== null) longestGapMs = Math.max(longestGapMs, window.endAt - downSince);
  return { outages, longestGapMs, endedDown: downSince !== null };
}

/** A service's verdict: the gap from its ports when it publishes any, else from events; down as often as
 * either source saw (a restart quicker than the poll interval still counts); left down when a port
 * stopped answering, or no container of it runs, at the end. */
export function serviceDowntime(input: { service: string; polls: readonly Outage[]; events: Outage; runningAtEnd: boolean }): ServiceDowntime {
  const polled = input.polls.length > 0;
  return {
    service: input.service,
    source: polled ? 'port' : 'events',
    outages: Math.max(input.events.outages, ...input.polls.map((poll) => poll.outages)),
    longestGapMs: polled ? Math.max(...input.polls.map((poll) => poll.longestGapMs)) : input.events.longestGapMs,
    leftDown: !input.runningAtEnd || input.events.endedDown || input.polls.some((poll) => poll.endedDown),
  };
}

export interface DowntimeSummary {
  /** Each service's longest gap, in the order given. */
  gapsMs: number[];
  longestGapMs: number;
  downMoreThanOnce: string[];
  leftDown: string[];
  /** Services judged by their ports, and by events. */
  polled: number;
  fromEvents: number;
}

export function summarizeDowntime(services: readonly ServiceDowntime[]): DowntimeSummary {
  const gapsMs = services.map((service) => service.longestGapMs);
  return {
    gapsMs,
    longestGapMs: Math.max(0, ...gapsMs),
    downMoreThanOnce: services.filter((service) => service.outages > 1).map((service) => service.service),
    leftDown: services.filter((service) => service.leftDown).map((service) => service.service),
    polled: services.filter((service) => service.source === 'port').length,
    fromEvents: services.filter((service) => service.source === 'events').length,
  };
}
