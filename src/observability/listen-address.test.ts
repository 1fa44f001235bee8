import { describe, expect, it } from 'vitest';
import { formatListenAddress, parseListenAddress } from './listen-address.js';

describe('listen address', () => {
  it.each([
    ['127.0.0.1:9464', '127.0.0.1', 9464],
    ['localhost:9464', 'localhost', 9464],
    ['0.0.0.0:80', '0.0.0.0', 80],
    ['[::1]:9464', '::1', 9464],
    ['[::]:9464', '::', 9464],
    [':9464', undefined, 9464],
    ['127.0.0.1:0', '127.0.0.1', 0],
  ])('%s must parse to host %s and port %i', (address, host, port) => {
    expect(parseListenAddress(address)).toEqual({ host, port });
  });

  it.each([
    ['9464', /expected host:port/],
    ['127.0.0.1', /expected host:port/],
    ['127.0.0.1:', /expected host:port/],
    ['127.0.0.1:http', /expected host:port/],
    ['127.0.0.1:70000', /port must be 0 to 65535/],
    ['::1:9464', /IPv6 addresses need brackets/],
    ['[localhost]:9464', /not an IPv6 address/],
  ])('%s must be rejected with a message naming it', (address, message) => {
    expect(() => parseListenAddress(address)).toThrow(message);
    expect(() => parseListenAddress(address)).toThrow(`'${address}'`);
  });

  it.each([
    ['127.0.0.1', 9464, '127.0.0.1:9464'],
    ['::1', 9464, '[::1]:9464'],
    ['::', 1234, '[::]:1234'],
  ])('host %s and port %i must format as %s', (host, port, formatted) => {
    expect(formatListenAddress(host, port)).toBe(formatted);
  });
});
