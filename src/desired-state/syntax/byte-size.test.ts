import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-size.js';

const KIB = 1024;
const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const TIB = 1024 ** 4;
const PIB = 1024 ** 5;

describe('parseByteSize', () => {
  it.each<[string | number, number]>([
    ['0', 0],
    ['512', 512],
    ['512b', 512],
    ['512B', 512],
    ['1.5', 1],
    ['64k', 64 * KIB],
    ['64K', 64 * KIB],
    ['64kb', 64 * KIB],
    ['64KiB', 64 * KIB],
    ['64kib', 64 * KIB],
    ['64 k', 64 * KIB],
    ['64 KB', 64 * KIB],
    ['100m', 100 * MIB],
    ['1.5g', 1.5 * GIB],
    ['2GB', 2 * GIB],
    ['1t', TIB],
    ['7p', 7 * PIB],
    ['0.1k', 102],
    [0, 0],
    [1048576, MIB],
    [1.9, 1],
  ])('parseByteSize must read %j as %d bytes', (input, bytes) => {
    expect(parseByteSize(input)).toEqual({ ok: true, value: bytes });
  });

  it.each<[string | number, string]>([
    ['', 'invalid byte size "": empty (write a number with an optional unit, such as "512m")'],
    ['-1', 'invalid byte size "-1": must not be negative'],
    ['-64m', 'invalid byte size "-64m": must not be negative'],
    ['m', 'invalid byte size "m": expected a number with an optional unit, such as "512m" or "1.5g"'],
    ['.5g', 'invalid byte size ".5g": expected a number with an optional unit, such as "512m" or "1.5g"'],
    [' 64m', 'invalid byte size " 64m": expected a number with an optional unit, such as "512m" or "1.5g"'],
    ['12x', 'invalid byte size "12x": unknown unit "x" (use b, k, m, g, t or p, optionally followed by b or ib)'],
    ['64ki', 'invalid byte size "64ki": unknown unit "ki" (use b, k, m, g, t or p, optionally followed by b or ib)'],
    ['64kbb', 'invalid byte size "64kbb": unknown unit "kbb" (use b, k, m, g, t or p, optionally followed by b or ib)'],
    ['64bk', 'invalid byte size "64bk": unknown unit "bk" (use b, k, m, g, t or p, optionally followed by b or ib)'],
    ['1.2.3m', 'invalid byte size "1.2.3m": malformed number (write digits with at most one decimal point)'],
    ['5.m', 'invalid byte size "5.m": malformed number (write digits with at most one decimal point)'],
    ['64  m', 'invalid byte size "64  m": unknown unit " m" (use b, k, m, g, t or p, optionally followed by b or ib)'],
    ['1e3', 'invalid byte size "1e3": unknown unit "e3" (use b, k, m, g, t or p, optionally followed by b or ib)'],
    ['8p', 'invalid byte size "8p": too large (at most 9007199254740991 bytes)'],
    [-5, 'invalid byte size -5: must not be negative'],
    [Number.NaN, 'invalid byte size NaN: not a finite number'],
    [Number.POSITIVE_INFINITY, 'invalid byte size Infinity: not a finite number'],
  ])('parseByteSize must reject %j', (input, error) => {
    expect(parseByteSize(input)).toEqual({ ok: false, error });
  });
});
