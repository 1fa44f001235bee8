import type { Rule } from '../rule.js';

// Root in a container is root on the host as soon as anything else goes wrong (a mount, a capability, a
// kernel bug). On desired state an unset `user:` is reported: it means the image's user, root unless the
// image sets USER; on live state the engine shows the user the container really runs as.

export function isRootUser(user: string | null): boolean {
  if (user === null || user.trim() === '') return true;
  const name = user.split(':')[0]!.trim();
  return name === 'root' || name === '0';
}

export const nonRootUser: Rule = {
  id: 'non-root-user',
  summary: 'containers must run as an unprivileged user',
  check(subject) {
    if (!isRootUser(subject.user)) return [];
    const unset = subject.user === null || subject.user.trim() === '';
    const message = unset
      ? subject.source === 'desired'
        ? "sets no user: it runs as the image's user, root unless the image sets USER"
        : 'runs as root (no user set by the service or the image)'
      : `runs as root (user: ${subject.user})`;
    return [
      {
        field: 'user',
        message,
        fix: 'set user: to an unprivileged uid:gid such as "1000:1000" and give it the files it writes',
      },
    ];
  },
};
