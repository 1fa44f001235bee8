import type { Rule, Violation } from '../rule.js';

// Sharing the host's network, process or IPC namespace takes away the isolation a container is for.

export const noHostNamespaces: Rule = {
  id: 'no-host-namespaces',
  summary: "containers must not share the host's network, pid or ipc namespace",
  check(subject) {
    const violations: Violation[] = [];
    if (subject.networkMode === 'host') {
      violations.push({
        field: 'network_mode',
        message: "shares the host's network (network_mode: host): it can bind any host port and reach every host-local service",
        fix: 'remove network_mode: host, attach it to a network and publish what it serves with ports:',
      });
    }
    if (subject.pid === 'host') {
      violations.push({
        field: 'pid',
        message: "shares the host's process namespace (pid: host): it sees every host process",
        fix: 'remove pid: host',
      });
    }
    if (subject.ipc === 'host') {
      violations.push({
        field: 'ipc',
        message: "shares the host's IPC namespace (ipc: host)",
        fix: 'remove ipc: host, or share IPC with one service only (ipc: "service:NAME")',
      });
    }
    return violations;
  },
};
