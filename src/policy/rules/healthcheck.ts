import type { Rule } from '../rule.js';

// Without a healthcheck, dependents (condition: service_healthy) and the controller cannot tell a hung
// process from a working one. One-shots (restart no or on-failure) are exempt: they are meant to exit.
// On desired state only the manifest is seen: a service that relies on its image's HEALTHCHECK is
// reported until it declares one (or the rule is set off for it); on live state the image's counts.

export const healthcheckRequired: Rule = {
  id: 'healthcheck-required',
  summary: 'long-running services must have a healthcheck',
  check(subject) {
    if (subject.oneShot || subject.healthcheck === 'declared') return [];
    if (subject.healthcheck === 'disabled') {
      return [
        {
          field: 'healthcheck',
          message: 'disables its healthcheck: a hung process looks the same as a working one',
          fix: 'remove disable: true (or test: ["NONE"]) and give it a test that proves it serves',
        },
      ];
    }
    const seen = subject.source === 'desired' ? 'declares no healthcheck' : 'has no healthcheck';
    return [
      {
        field: 'healthcheck',
        message: `${seen}: a hung process looks the same as a working one`,
        fix: 'add healthcheck: with a test that proves it serves (declare the image\'s own HEALTHCHECK there if it has one)',
      },
    ];
  },
};
