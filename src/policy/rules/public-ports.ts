import type { Rule, RuleContext, Violation } from '../rule.js';
import type { SubjectPort } from '../subject.js';

// A port published on every interface (0.0.0.0, ::, or no address) is open to whatever reaches the host;
// Docker's own iptables rules bypass a host firewall. Allowed on purpose per port with
// `x-composelet.policy.allow_public_ports` (the host port; for a port the engine picks, the container port).

const EVERY_INTERFACE: ReadonlySet<string> = new Set(['', '0.0.0.0', '::', '[::]']);

export function isPublic(port: SubjectPort): boolean {
  return EVERY_INTERFACE.has(port.hostIp);
}

function violationFor(port: SubjectPort, context: RuleContext): Violation | null {
  if (!isPublic(port)) return null;
  const allowKey = port.hostPort ?? port.containerPort;
  if (context.allowPublicPorts.has(allowKey)) return null;
  const hostPort = port.hostPort === null ? 'a random host port' : `host port ${port.hostPort}`;
  const address = port.hostIp === '' ? 'every interface' : `every interface (${port.hostIp})`;
  const binding = port.hostPort === null ? `127.0.0.1::${port.containerPort}` : `127.0.0.1:${port.hostPort}:${port.containerPort}`;
  return {
    field: 'ports',
    message: `publishes ${port.containerPort}/${port.protocol} on ${hostPort} on ${address}`,
    fix: `bind it to one address ("${binding}"), or allow it on purpose with x-composelet.policy.allow_public_ports: [${allowKey}]`,
  };
}

export const noPublicPorts: Rule = {
  id: 'no-public-ports',
  summary: 'ports must not be published on every interface unless allowed',
  check(subject, context) {
    return subject.ports.map((port) => violationFor(port, context)).filter((violation): violation is Violation => violation !== null);
  },
};
