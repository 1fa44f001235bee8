import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pushOf, safeEqual, verifyWebhook } from './webhook-signature.js';

const secret = 'hook-secret-1234';
const body = Buffer.from(JSON.stringify({ ref: 'refs/heads/main' }));
const hex = (key: string, payload: Buffer) => createHmac('sha256', key).update(payload).digest('hex');

describe('webhook signatures', () => {
  it.each([
    ['GitHub, right signature', { 'x-hub-signature-256': `sha256=${hex(secret, body)}` }, { ok: true, provider: 'github' }],
    ['GitHub, upper-case hex', { 'x-hub-signature-256': `sha256=${hex(secret, body).toUpperCase()}` }, { ok: true, provider: 'github' }],
    ['GitHub, another secret', { 'x-hub-signature-256': `sha256=${hex('other', body)}` }, { ok: false }],
    ['GitHub, no sha256= prefix', { 'x-hub-signature-256': hex(secret, body) }, { ok: false }],
    ['GitHub, signature of another body', { 'x-hub-signature-256': `sha256=${hex(secret, Buffer.from('{}'))}` }, { ok: false }],
    ['Gitea, right signature', { 'x-gitea-signature': hex(secret, body) }, { ok: true, provider: 'gitea' }],
    ['Forgejo, right signature', { 'x-forgejo-signature': hex(secret, body) }, { ok: true, provider: 'gitea' }],
    ['Gitea, truncated', { 'x-gitea-signature': hex(secret, body).slice(0, 20) }, { ok: false }],
    ['GitLab, right token', { 'x-gitlab-token': secret }, { ok: true, provider: 'gitlab' }],
    ['GitLab, wrong token', { 'x-gitlab-token': 'hook-secret-1235' }, { ok: false }],
    ['GitLab, empty token', { 'x-gitlab-token': '' }, { ok: false }],
    ['no signature header at all', {}, { ok: false }],
  ])('%s', (_case, headers, expected) => {
    expect(verifyWebhook({ headers, body, secret })).toMatchObject(expected);
  });

  it('a refusal must never quote the secret', () => {
    const verdict = verifyWebhook({ headers: { 'x-gitlab-token': 'nope' }, body, secret });
    expect(JSON.stringify(verdict)).not.toContain(secret);
  });

  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
  ])('safeEqual(%j, %j) must be %s', (left, right, equal) => {
    expect(safeEqual(left, right)).toBe(equal);
  });
});

describe('what a verified delivery asks for', () => {
  it.each([
    ['a GitHub push', { 'x-github-event': 'push' }, { ref: 'refs/heads/main' }, { kind: 'push', branch: 'main' }],
    ['a Gitea push to a nested branch', { 'x-gitea-event': 'push' }, { ref: 'refs/heads/env/prod' }, { kind: 'push', branch: 'env/prod' }],
    ['a GitLab push', { 'x-gitlab-event': 'Push Hook' }, { ref: 'refs/heads/main' }, { kind: 'push', branch: 'main' }],
    ['a GitHub ping', { 'x-github-event': 'ping' }, { zen: 'x' }, { kind: 'ping' }],
    ['a tag push', { 'x-github-event': 'push' }, { ref: 'refs/tags/v1' }, { kind: 'other' }],
    ['an issue event', { 'x-github-event': 'issues' }, { ref: 'refs/heads/main' }, { kind: 'other' }],
  ])('%s', (_case, headers, payload, expected) => {
    expect(pushOf({ headers, body: Buffer.from(JSON.stringify(payload)) })).toMatchObject(expected);
  });

  it('a body that is not JSON must be ignored', () => {
    expect(pushOf({ headers: {}, body: Buffer.from('ref=refs/heads/main') })).toMatchObject({ kind: 'other' });
  });
});
