import type { Rule } from '../rule.js';

// json-file, the engine's default log driver, keeps every line a container prints, in one file that
// grows until the disk is full, unless max-size is set (max-file then says how many rotated files are
// kept). Other drivers rotate by themselves (local) or ship the logs elsewhere (journald, syslog, none…).

const UNBOUNDED_DRIVERS = new Set(['json-file']);

export const logRotationRequired: Rule = {
  id: 'log-rotation-required',
  summary: "every service's json-file logs must be rotated (max-size)",
  check(subject) {
    const { driver, maxSize } = subject.logging;
    if (maxSize !== null) return [];
    if (driver !== null && !UNBOUNDED_DRIVERS.has(driver)) return [];
    const which = driver === null ? "the engine's default driver (json-file unless the daemon sets another)" : driver;
    return [
      {
        field: 'logging',
        message: `logs with ${which} without max-size: its log file grows until the disk is full`,
        fix: 'set logging: { driver: json-file, options: { max-size: 10m, max-file: "3" } }, or once for every service with x-composelet.logging',
      },
    ];
  },
};
