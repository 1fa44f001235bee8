// Where notifications go: `--notify URL`, repeatable. The scheme prefix picks the format:
//   https://host/path            generic JSON webhook (POST application/json; `webhook+https://` too)
//   ntfy+https://ntfy.sh/topic   ntfy (POST the text; title, priority and tags as headers)
//   slack+https://hooks.slack.com/services/…   Slack-compatible incoming webhook (POST {"text": …};
//                                Mattermost, Rocket.Chat and Discord's /slack endpoint read it too)
// http:// works everywhere https:// does. Webhook URLs often carry a secret (Slack's path, a token in
// the query): logs show only the kind, scheme and host (`describeTarget`).

export type TargetKind = 'webhook' | 'ntfy' | 'slack';

export interface NotifyTarget {
  kind: TargetKind;
  url: URL;
}

const PREFIXES: Record<string, TargetKind> = { webhook: 'webhook', ntfy: 'ntfy', slack: 'slack' };

export function parseNotifyTarget(text: string): NotifyTarget {
  const match = /^(?:([a-z]+)\+)?(https?:\/\/.+)$/i.exec(text.trim());
  if (!match) throw new Error(`--notify ${describeUnparsed(text)}: expected an http(s) URL, optionally prefixed with ntfy+, slack+ or webhook+`);
  const prefix = match[1]?.toLowerCase();
  const kind = prefix === undefined ? 'webhook' : PREFIXES[prefix];
  if (kind === undefined) throw new Error(`--notify ${describeUnparsed(text)}: unknown type "${prefix}+" (use ntfy+, slack+ or webhook+)`);
  let url: URL;
  try {
    url = new URL(match[2]!);
  } catch {
    throw new Error(`--notify ${describeUnparsed(text)}: not a valid URL`);
  }
  return { kind, url };
}

/** The target without what may be secret (path, query, credentials). */
export function describeTarget(target: NotifyTarget): string {
  return `${target.kind} ${target.url.protocol}//${target.url.host}`;
}

function describeUnparsed(text: string): string {
  const host = /^(?:[a-z]+\+)?[a-z]+:\/\/([^/@?#]*@)?([^/?#]*)/i.exec(text.trim());
  return host ? `"${host[0].replace(host[1] ?? '', '')}…"` : '(value not shown)';
}
