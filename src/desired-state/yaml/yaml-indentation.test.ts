import { describe, expect, it } from 'vitest';
import { explainIndentation, parseKeyLine, pathOfLine } from './yaml-indentation.js';

const text = (...lines: string[]) => lines.join('\n');

describe('pathOfLine', () => {
  it.each<[string, string, number, Array<string | number>]>([
    ['a top-level key', text('services:'), 0, ['services']],
    ['a nested key', text('services:', '  api:', '    image: x'), 2, ['services', 'api', 'image']],
    ['a key after a sibling with children', text('services:', '  api:', '    env:', '      A: 1', '    image: x'), 4, ['services', 'api', 'image']],
    ['a key in a sequence item', text('services:', '  api:', '    ports:', '      - target: 80', '      - target: 81', '        published: 8081'), 5, ['services', 'api', 'ports', 1, 'published']],
    ['the first key of a sequence item', text('include:', '  - path: a.yaml', '  - path: b.yaml'), 2, ['include', 1, 'path']],
  ])('%s', (_name, source, lineIndex, expected) => {
    const lines = source.split('\n');
    expect(pathOfLine(lines, parseKeyLine(lines[lineIndex]!, lineIndex)!)).toEqual(expected);
  });
});

describe('explainIndentation', () => {
  it.each<[string, string, number, string, { line: number; path: Array<string | number>; message: RegExp } | null]>([
    [
      'a key indented deeper than the one above',
      text('services:', '  api:', '    image: x', '      command: y'),
      3,
      'BLOCK_AS_IMPLICIT_KEY',
      { line: 4, path: ['services', 'api', 'command'], message: /"command" is indented deeper than "image" on line 3/ },
    ],
    [
      'a key between its parent and its siblings',
      text('services:', '  api:', '      image: x', '    command: y'),
      4,
      'BAD_INDENT',
      { line: 4, path: ['services', 'api', 'command'], message: /"command" \(column 5\) does not line up with "image" on line 3 \(column 7\)/ },
    ],
    ['another parser error', text('services:', '  api: [x'), 2, 'MISSING_CHAR', null],
  ])('%s', (_name, source, errorLine, code, expected) => {
    const explained = explainIndentation(source, errorLine, code);
    if (expected === null) expect(explained).toBeNull();
    else expect(explained).toMatchObject({ line: expected.line, path: expected.path, message: expect.stringMatching(expected.message) });
  });
});
