import { asyncScheduler, interval, map, type Observable, type SchedulerLike } from 'rxjs';

// The periodic "look at everything again": catches what no event reports (network changes, events missed
// while nobody listened). Level-triggered reconciles make an extra look harmless.

export interface ResyncOptions {
  /** Time between ticks; the first tick comes one period after subscribing. */
  periodMs: number;
  /** For the timer; tests pass a TestScheduler. */
  scheduler?: SchedulerLike;
}

export function resync(options: ResyncOptions): Observable<void> {
  if (!Number.isFinite(options.periodMs) || options.periodMs <= 0) {
    throw new RangeError(`resync period must be a positive number of milliseconds, got ${options.periodMs}`);
  }
  return interval(options.periodMs, options.scheduler ?? asyncScheduler).pipe(map((): void => undefined));
}
