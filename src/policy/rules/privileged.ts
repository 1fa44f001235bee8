import type { Rule } from '../rule.js';

// `privileged: true` gives the container every capability and every host device: root on the host.

export const noPrivileged: Rule = {
  id: 'no-privileged',
  summary: 'containers must not run privileged',
  check(subject) {
    if (!subject.privileged) return [];
    return [
      {
        field: 'privileged',
        message: 'runs privileged (every capability and every host device)',
        fix: 'remove privileged: true and add only the capabilities it needs with cap_add',
      },
    ];
  },
};
