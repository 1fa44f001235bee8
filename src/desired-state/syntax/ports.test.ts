import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PortBinding } from '../model.js';
import { formatPortBinding, parsePortLong, parsePortShort, type PortLongSyntax } from './ports.js';

function binding(hostIp: string, hostPort: number | null, containerPort: number, protocol: PortBinding['protocol'] = 'tcp'): PortBinding {
  return { hostIp, hostPort, containerPort, protocol };
}

describe('parsePortShort', () => {
  it.each<[string | number, PortBinding[]]>([
    [80, [binding('', null, 80)]],
    ['80', [binding('', null, 80)]],
    ['80/udp', [binding('', null, 80, 'udp')]],
    ['80/sctp', [binding('', null, 80, 'sctp')]],
    ['8080:80', [binding('', 8080, 80)]],
    ['8080:80/udp', [binding('', 8080, 80, 'udp')]],
    [':80', [binding('', null, 80)]],
    ['127.0.0.1:8080:80', [binding('127.0.0.1', 8080, 80)]],
    ['127.0.0.1::80', [binding('127.0.0.1', null, 80)]],
    ['0.0.0.0:53:53/udp', [binding('0.0.0.0', 53, 53, 'udp')]],
    ['[::1]:8080:80', [binding('::1', 8080, 80)]],
    ['[::1]::80/udp', [binding('::1', null, 80, 'udp')]],
    ['[fe80::1%eth0]:8080:80', [binding('fe80::1%eth0', 8080, 80)]],
    ['::1:8080:80', [binding('::1', 8080, 80)]],
    ['1:65535', [binding('', 1, 65535)]],
    ['8000-8000:9000', [binding('', 8000, 9000)]],
    ['9000-9002', [binding('', null, 9000), binding('', null, 9001), binding('', null, 9002)]],
    ['8000-8002:9000-9002', [binding('', 8000, 9000), binding('', 8001, 9001), binding('', 8002, 9002)]],
    ['127.0.0.1:8000-8001:9000-9001/udp', [binding('127.0.0.1', 8000, 9000, 'udp'), binding('127.0.0.1', 8001, 9001, 'udp')]],
    ['127.0.0.1::9000-9001', [binding('127.0.0.1', null, 9000), binding('127.0.0.1', null, 9001)]],
    // A host range with one container port: the engine binds the first free port of the range.
    ['6005-6015:80', [{ ...binding('', 6005, 80), hostPortEnd: 6015 }]],
    ['127.0.0.1:6005-6015:80/udp', [{ ...binding('127.0.0.1', 6005, 80, 'udp'), hostPortEnd: 6015 }]],
  ])('parsePortShort must read %j', (input, bindings) => {
    expect(parsePortShort(input)).toEqual({ ok: true, value: bindings });
  });

  it.each<[string | number, string]>([
    ['', 'empty port specification'],
    ['70000:80', 'port 70000 out of range (1-65535) in "70000:80"'],
    ['8080:70000', 'port 70000 out of range (1-65535) in "8080:70000"'],
    ['0:80', 'port 0 out of range (1-65535) in "0:80"'],
    ['0', 'port 0 out of range (1-65535) in "0"'],
    [0, 'port 0 out of range (1-65535) in "0"'],
    [70000, 'port 70000 out of range (1-65535) in "70000"'],
    ['9000-70000', 'port 70000 out of range (1-65535) in "9000-70000"'],
    [80.5, 'invalid container port "80.5" in "80.5": expected a number or a range such as "8000-8010"'],
    [-1, 'invalid container port "-1" in "-1": expected a number or a range such as "8000-8010"'],
    ['abc', 'invalid container port "abc" in "abc": expected a number or a range such as "8000-8010"'],
    ['http:80', 'invalid host port "http" in "http:80": expected a number or a range such as "8000-8010"'],
    ['127.0.0.1:80', 'invalid host port "127.0.0.1" in "127.0.0.1:80": expected a number or a range such as "8000-8010"'],
    ['8080:', 'missing container port in "8080:"'],
    ['8080:/udp', 'missing container port in "8080:/udp"'],
    ['9002-9000', 'invalid container port range "9002-9000" in "9002-9000": the start is greater than the end'],
    ['8002-8000:9000-9002', 'invalid host port range "8002-8000" in "8002-8000:9000-9002": the start is greater than the end'],
    ['80/http', 'unknown protocol "http" in "80/http" (use tcp, udp or sctp)'],
    ['80/TCP', 'unknown protocol "TCP" in "80/TCP" (use tcp, udp or sctp)'],
    ['80/', 'unknown protocol "" in "80/" (use tcp, udp or sctp)'],
    ['80/tcp/udp', 'unknown protocol "tcp/udp" in "80/tcp/udp" (use tcp, udp or sctp)'],
    ['999.1.1.1:8080:80', 'invalid host IP "999.1.1.1" in "999.1.1.1:8080:80"'],
    ['localhost:8080:80', 'invalid host IP "localhost" in "localhost:8080:80"'],
    ['[::1:8080:80', 'invalid host IP in "[::1:8080:80": missing "]"'],
    ['[nope]:8080:80', 'invalid host IP "nope" in "[nope]:8080:80"'],
    ['[::1]:80', 'expected ":HOST_PORT:CONTAINER_PORT" after the host IP in "[::1]:80" (leave HOST_PORT empty to let the engine pick)'],
    ['[::1]8080:80', 'expected ":HOST_PORT:CONTAINER_PORT" after the host IP in "[::1]8080:80" (leave HOST_PORT empty to let the engine pick)'],
    [
      '8080:9000-9002',
      'container port range "9000-9002" needs a host port range of the same length, or no host port, in "8080:9000-9002"',
    ],
    [
      '8000-8001:9000-9002',
      'host port range "8000-8001" and container port range "9000-9002" differ in length in "8000-8001:9000-9002"',
    ],
  ])('parsePortShort must reject %j', (input, error) => {
    expect(parsePortShort(input)).toEqual({ ok: false, error });
  });
});

describe('parsePortLong', () => {
  it.each<[PortLongSyntax, PortBinding[]]>([
    [{ target: 80 }, [binding('', null, 80)]],
    [{ target: '80' }, [binding('', null, 80)]],
    [{ target: 80, published: 8080 }, [binding('', 8080, 80)]],
    [{ target: 80, published: '8080' }, [binding('', 8080, 80)]],
    [{ target: 80, published: null }, [binding('', null, 80)]],
    [{ target: 80, published: '' }, [binding('', null, 80)]],
    [{ target: 80, published: '8080-8080' }, [binding('', 8080, 80)]],
    [{ target: 80, published: 8080, host_ip: '127.0.0.1' }, [binding('127.0.0.1', 8080, 80)]],
    [{ target: 80, published: 8080, host_ip: '::1' }, [binding('::1', 8080, 80)]],
    [{ target: 80, published: 8080, host_ip: '[::1]' }, [binding('::1', 8080, 80)]],
    [{ target: 53, published: 53, protocol: 'udp' }, [binding('', 53, 53, 'udp')]],
    [{ target: 80, protocol: 'sctp', mode: 'host' }, [binding('', null, 80, 'sctp')]],
    [{ target: 80, published: 8080, mode: 'ingress', name: 'web', app_protocol: 'http' }, [binding('', 8080, 80)]],
    [{ target: 80, published: '8000-8002' }, [{ ...binding('', 8000, 80), hostPortEnd: 8002 }]],
  ])('parsePortLong must read %j', (input, bindings) => {
    expect(parsePortLong(input)).toEqual({ ok: true, value: bindings });
  });

  it.each<[PortLongSyntax, string]>([
    [{ target: 0 }, 'target port 0 out of range (1-65535)'],
    [{ target: 70000 }, 'target port 70000 out of range (1-65535)'],
    [{ target: '70000' }, 'target port 70000 out of range (1-65535)'],
    [{ target: 80.5 }, 'invalid target port 80.5: expected a whole number'],
    [{ target: 'http' }, 'invalid target port "http": expected a port number'],
    [{ target: '9000-9002' }, 'target "9000-9002" must be a single port; use short syntax for port ranges'],
    [{ target: 80, published: 0 }, 'published port 0 out of range (1-65535)'],
    [{ target: 80, published: 70000 }, 'published port 70000 out of range (1-65535)'],
    [{ target: 80, published: -1 }, 'published port -1 out of range (1-65535)'],
    [{ target: 80, published: 'abc' }, 'invalid published port "abc": expected a port number'],
    [{ target: 80, published: '8000-abc' }, 'invalid published port "8000-abc": expected a number or a range such as "8000-8010"'],
    [{ target: 80, published: '8000-70000' }, 'published port 70000 out of range (1-65535)'],
    [{ target: 80, published: '8002-8000' }, 'invalid published port range "8002-8000": the start is greater than the end'],
    [{ target: 80, host_ip: 'localhost' }, 'invalid host_ip "localhost"'],
    [{ target: 80, protocol: 'http' }, 'unknown protocol "http" (use tcp, udp or sctp)'],
    [{ target: 80, mode: 'bridge' }, 'unknown port mode "bridge" (use host or ingress)'],
  ])('parsePortLong must reject %j', (input, error) => {
    expect(parsePortLong(input)).toEqual({ ok: false, error });
  });
});

describe('formatPortBinding', () => {
  it.each<[PortBinding, string]>([
    [binding('', null, 80), '80/tcp'],
    [binding('', 8080, 80), '8080:80/tcp'],
    [binding('', 53, 53, 'udp'), '53:53/udp'],
    [binding('127.0.0.1', 8080, 80), '127.0.0.1:8080:80/tcp'],
    [binding('127.0.0.1', null, 80), '127.0.0.1::80/tcp'],
    [binding('::1', 8080, 80), '[::1]:8080:80/tcp'],
    [binding('::1', null, 80, 'sctp'), '[::1]::80/sctp'],
    [{ ...binding('127.0.0.1', 6005, 80), hostPortEnd: 6015 }, '127.0.0.1:6005-6015:80/tcp'],
  ])('formatPortBinding must write %j as %j', (value, text) => {
    expect(formatPortBinding(value)).toBe(text);
  });

  it('formatPortBinding must produce text that parsePortShort reads back as the same binding', () => {
    const port = fc.integer({ min: 1, max: 65535 });
    const arbitraryBinding = fc.record({
      hostIp: fc.oneof(fc.constant(''), fc.ipV4(), fc.ipV6()),
      hostPort: fc.option(port, { nil: null }),
      containerPort: port,
      protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const),
    });
    fc.assert(
      fc.property(arbitraryBinding, (value) => {
        expect(parsePortShort(formatPortBinding(value))).toEqual({ ok: true, value: [value] });
      }),
    );
  });
});
