import type { EventDescription } from './events.js';
import type { TargetKind } from './targets.js';

// One notification as each receiver wants it. The description's title and fields are already redacted.

export interface Notification {
  status: 'firing' | 'resolved';
  /** ISO time it was decided. */
  at: string;
  description: EventDescription;
  /** Which controller (host name), so several can share a channel. */
  source: string;
}

export interface HttpRequest {
  headers: Record<string, string>;
  body: string;
}

const NTFY_PRIORITY = { critical: 'urgent', warning: 'high', info: 'default' } as const;

export function headline(notification: Notification): string {
  return `${notification.status === 'resolved' ? 'RESOLVED' : notification.description.severity.toUpperCase()}: ${notification.description.title}`;
}

export function formatRequest(kind: TargetKind, notification: Notification): HttpRequest {
  const { description } = notification;
  if (kind === 'ntfy') {
    const details = Object.entries(description.fields).map(([key, value]) => `${key}: ${value}`);
    return {
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        title: `composelet: ${headline(notification)}`,
        priority: notification.status === 'resolved' ? 'default' : NTFY_PRIORITY[description.severity],
        tags: notification.status === 'resolved' ? 'white_check_mark' : description.severity === 'critical' ? 'rotating_light' : 'warning',
      },
      body: [description.title, ...details, `from ${notification.source} at ${notification.at}`].join('\n'),
    };
  }
  if (kind === 'slack') {
    const details = Object.entries(description.fields).map(([key, value]) => `${key}=\`${value}\``).join(' ');
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `*composelet ${headline(notification)}*\n${details} (${notification.source})` }) };
  }
  return {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      source: 'composelet',
      status: notification.status,
      event: description.key.split('/')[0],
      key: description.key,
      severity: description.severity,
      title: description.title,
      fields: description.fields,
      host: notification.source,
      at: notification.at,
    }),
  };
}
