import type { Rule } from '../rule.js';

// Without a memory limit one leak takes the whole host's memory, and the kernel picks what to kill.

export const memoryLimitRequired: Rule = {
  id: 'memory-limit-required',
  summary: 'every service must have a memory limit',
  check(subject) {
    if (subject.memoryBytes !== null && subject.memoryBytes > 0) return [];
    return [
      {
        field: 'mem_limit',
        message: "has no memory limit: one leak can take the host's memory",
        fix: 'set mem_limit (or deploy.resources.limits.memory), e.g. mem_limit: 256m',
      },
    ];
  },
};
