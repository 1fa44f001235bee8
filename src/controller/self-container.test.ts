import { describe, expect, it } from 'vitest';
import { selfContainerIdFrom } from './self-container.js';

const ID = 'a3f1'.repeat(16);

describe('selfContainerIdFrom', () => {
  it.each([
    ['the engine\'s /etc/hostname bind mount (cgroup v1 and v2)', { mountinfo: `580 562 0:52 / / rw - overlay overlay rw\n601 580 8:1 /var/lib/docker/containers/${ID}/hostname /etc/hostname rw,relatime - ext4 /dev/sda1 rw`, cgroup: '0::/\n' }, ID],
    ['a custom data root', { mountinfo: `601 580 8:1 /srv/docker/containers/${ID}/resolv.conf /etc/resolv.conf rw - ext4 /dev/sda1 rw`, cgroup: '' }, ID],
    ['cgroup v1 only', { mountinfo: '', cgroup: `12:memory:/docker/${ID}\n11:cpu:/docker/${ID}` }, ID],
    ['a systemd cgroup driver', { mountinfo: '', cgroup: `0::/system.slice/docker-${ID}.scope` }, ID],
    ['a process on the host', { mountinfo: '22 1 8:1 / / rw - ext4 /dev/sda1 rw\n', cgroup: '0::/user.slice/user-0.slice/session-1.scope' }, null],
    ['a container id elsewhere than an engine mount', { mountinfo: `601 580 8:1 /var/lib/docker/containers/${ID}/data /data rw - ext4 /dev/sda1 rw`, cgroup: '' }, null],
  ])('%s', (_case, files, expected) => {
    expect(selfContainerIdFrom(files)).toBe(expected);
  });
});
