import type { Rule } from '../rule.js';

// Without no-new-privileges a setuid binary inside the container can raise a process's privileges.

const ENABLED: ReadonlySet<string> = new Set(['no-new-privileges', 'no-new-privileges:true', 'no-new-privileges=true']);

export const noNewPrivilegesRequired: Rule = {
  id: 'no-new-privileges-required',
  summary: 'containers must run with no-new-privileges',
  check(subject) {
    if (subject.securityOpt.some((option) => ENABLED.has(option.trim()))) return [];
    return [
      {
        field: 'security_opt',
        message: 'does not set no-new-privileges: a setuid binary inside can gain privileges',
        fix: 'add security_opt: ["no-new-privileges:true"]',
      },
    ];
  },
};
