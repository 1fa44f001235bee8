import { describe, expect, it } from 'vitest';
import { isLoopbackHost, pageExposure } from './exposure.js';

describe('where the page may listen', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    [undefined, false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it.each([
    [{ address: '127.0.0.1:9464', tokenFile: null, noUi: false }, { page: true, needsToken: false }],
    [{ address: '[::1]:0', tokenFile: null, noUi: false }, { page: true, needsToken: false }],
    [{ address: '0.0.0.0:9464', tokenFile: '/etc/t', noUi: false }, { page: true, needsToken: true }],
    [{ address: ':9464', tokenFile: null, noUi: true }, { page: false }],
  ])('%j serves %j', (options, exposure) => {
    expect(pageExposure(options)).toEqual(exposure);
  });

  it.each(['0.0.0.0:9464', ':9464', '[::]:9464', '10.0.0.5:9464'])('%s without a token must be refused, naming the fixes', (address) => {
    expect(() => pageExposure({ address, tokenFile: null, noUi: false })).toThrow(/is not loopback: the status page there needs --ui-token-file FILE .* or --no-ui/);
  });
});
