import { describe, expect, it } from 'vitest';
import { parseDotenv } from './dotenv.js';

const environment: Record<string, string> = { HOME: '/home/me', EMPTY: '', FROM_ENV: 'outside' };
const lookup = (name: string): string | undefined =>
  Object.hasOwn(environment, name) ? environment[name] : undefined;

function entries(text: string): Array<[string, string | null]> {
  const result = parseDotenv(text, { lookup });
  expect(result.errors).toEqual([]);
  return [...result.values];
}

describe('parseDotenv', () => {
  it.each<[string, string, Array<[string, string | null]>]>([
    ['a plain pair', 'KEY=value', [['KEY', 'value']]],
    ['an empty value', 'KEY=', [['KEY', '']]],
    ['an "export " prefix', 'export KEY=value', [['KEY', 'value']]],
    ['an "export" prefix with tabs', 'export\t KEY=value', [['KEY', 'value']]],
    ['a key named like the prefix', 'exporter=1\nexport=2', [['exporter', '1'], ['export', '2']]],
    ['whitespace around the key and "="', '   KEY \t=   value with spaces   ', [['KEY', 'value with spaces']]],
    ['blank lines and comments', '\n# comment\n   # indented comment\n\nA=1\n\n', [['A', '1']]],
    ['keys with dots and dashes', 'my.key-name_2=x', [['my.key-name_2', 'x']]],
    ['an inline comment', 'KEY=value # comment', [['KEY', 'value']]],
    ['an inline comment after a tab', 'KEY=value\t# comment', [['KEY', 'value']]],
    ['a "#" inside a word', 'KEY=a#b', [['KEY', 'a#b']]],
    ['a "#" right after "="', 'KEY=#b', [['KEY', '#b']]],
    ['only a comment after "="', 'KEY= # nothing', [['KEY', '']]],
    ['"=" inside the value', 'URL=postgres://u:p@h/db?sslmode=disable', [['URL', 'postgres://u:p@h/db?sslmode=disable']]],
    ['CRLF line endings', 'A=1\r\nB=2\r\n', [['A', '1'], ['B', '2']]],
    ['a byte order mark', '\uFEFFA=1', [['A', '1']]],
    ['a single-quoted value', "KEY='  literal $HOME \\n ${X:?y} '", [['KEY', '  literal $HOME \\n ${X:?y} ']]],
    ['a single-quoted value with a comment', "KEY='a # b' # c", [['KEY', 'a # b']]],
    ['an empty single-quoted value', "KEY=''", [['KEY', '']]],
    ['a double-quoted value', 'KEY="  spaced  "', [['KEY', '  spaced  ']]],
    ['double-quoted escapes', 'KEY="a\\nb\\tc\\"d\\\\e\\$HOME\\r"', [['KEY', 'a\nb\tc"d\\e$HOME\r']]],
    ['an unknown escape kept as written', 'KEY="a\\qb"', [['KEY', 'a\\qb']]],
    ['a double-quoted value with a comment', 'KEY="a # b" # c', [['KEY', 'a # b']]],
    ['a double-quoted value followed by "#"', 'KEY="a"#c', [['KEY', 'a']]],
    ['a multi-line double-quoted value', 'KEY="line one\nline two"\nNEXT=1', [['KEY', 'line one\nline two'], ['NEXT', '1']]],
    ['a multi-line single-quoted value', "KEY='one\n\n# not a comment\nthree'\nNEXT=1", [['KEY', 'one\n\n# not a comment\nthree'], ['NEXT', '1']]],
    ['a key without "=" (inherited)', 'INHERITED\nOTHER=1', [['INHERITED', null], ['OTHER', '1']]],
    ['an inherited key with a comment', 'export INHERITED # from the shell a=b', [['INHERITED', null]]],
    ['a later duplicate key', 'A=1\nB=2\nA=3', [['A', '3'], ['B', '2']]],
    ['an unquoted interpolation from the lookup', 'DIR=${HOME}/app', [['DIR', '/home/me/app']]],
    ['a double-quoted interpolation', 'DIR="$HOME/app"', [['DIR', '/home/me/app']]],
    ['an interpolation of an earlier key', 'BASE=/srv\nDIR=${BASE}/app', [['BASE', '/srv'], ['DIR', '/srv/app']]],
    ['an earlier key winning over the lookup', 'HOME=/root\nDIR=$HOME/app', [['HOME', '/root'], ['DIR', '/root/app']]],
    ['an inherited earlier key falling back to the lookup', 'FROM_ENV\nX=$FROM_ENV', [['FROM_ENV', null], ['X', 'outside']]],
    ['a key referring to its own earlier value', 'PATH_LIST=a\nPATH_LIST=${PATH_LIST}:b', [['PATH_LIST', 'a:b']]],
    ['defaults in interpolation', 'A=${MISSING:-fallback}\nB=${EMPTY-kept}', [['A', 'fallback'], ['B', '']]],
    ['"$$" as a literal dollar', 'PRICE=$$5', [['PRICE', '$5']]],
  ])('parsing %s must give the expected values', (_description, text, expected) => {
    expect(entries(text)).toEqual(expected);
  });

  it.each<[string, string, Array<[string, string | null]>]>([
    ['unquoted', 'A=$HOME', [['A', '$HOME']]],
    ['double-quoted', 'A="${HOME}\\n\\$X"', [['A', '${HOME}\n$X']]],
    ['malformed', 'A=${', [['A', '${']]],
  ])('with interpolation off, a %s value must be kept literally', (_description, text, expected) => {
    const result = parseDotenv(text, { lookup, interpolate: false });
    expect(result.errors).toEqual([]);
    expect([...result.values]).toEqual(expected);
  });

  it.each([
    ['1KEY=x', 1, 1, 'invalid variable name "1KEY"'],
    ['  MY KEY=x', 1, 3, 'invalid variable name "MY KEY"'],
    ['A=1\nKEY!=x', 2, 1, 'invalid variable name "KEY!"'],
    ['=value', 1, 1, 'missing variable name before "="'],
    ['export   =value', 1, 10, 'missing variable name before "="'],
    ['A=1\nnot a key', 2, 1, 'invalid variable name "not a key"'],
    ['KEY="unterminated\nB=2', 1, 5, 'unterminated quoted value (missing closing ")'],
    ["KEY='unterminated", 1, 5, "unterminated quoted value (missing closing ')"],
    ['KEY="escaped quote\\"', 1, 5, 'unterminated quoted value (missing closing ")'],
    ['KEY="value" trailing', 1, 13, 'unexpected text after the closing ": "trailing"'],
    ["A=1\nKEY='one\ntwo'x # c", 3, 5, 'unexpected text after the closing \': "x"'],
    ['KEY=${MISSING:?set it}', 1, 5, 'required variable MISSING is missing a value: set it'],
    ['KEY = "${BROKEN"', 1, 7, 'invalid interpolation format for "${BROKEN": missing closing "}" for the "${" at character 1'],
    ['\n\nKEY=${1x}', 3, 5, 'invalid interpolation format for "${1x}": variable name must start with a letter or "_", found "1" at character 3'],
  ])('parsing %j must report an error at line %i, column %i: %s', (text, line, column, message) => {
    const result = parseDotenv(text, { lookup });
    expect(result.errors).toEqual([{ line, column, message }]);
  });

  it('every error of a file must be collected and the valid lines kept', () => {
    const text = [
      'GOOD=1', //                    1
      '1BAD=x', //                    2
      'KEY="open', //                 3
      'ALSO_GOOD=2', //               4
      'REQ=${NEEDED?}', //            5
      "MULTI='a", //                  6
      "b' junk", //                   7
      'LAST=3', //                    8
    ].join('\n');
    const result = parseDotenv(text, { lookup });
    expect(result.errors).toEqual([
      { line: 2, column: 1, message: 'invalid variable name "1BAD"' },
      { line: 3, column: 5, message: 'unterminated quoted value (missing closing ")' },
      { line: 5, column: 5, message: 'required variable NEEDED is missing a value' },
      { line: 7, column: 4, message: 'unexpected text after the closing \': "junk"' },
    ]);
    expect([...result.values]).toEqual([
      ['GOOD', '1'],
      ['ALSO_GOOD', '2'],
      ['LAST', '3'],
    ]);
  });

  it('line numbers after a multi-line value must count its lines', () => {
    const result = parseDotenv('A="1\n2\n3"\nB=${', { lookup });
    expect(result.errors).toEqual([
      { line: 4, column: 3, message: 'invalid interpolation format for "${": missing closing "}" for the "${" at character 1' },
    ]);
  });

  it('an unset variable in a value must be a warning with its line, not an error', () => {
    const result = parseDotenv('A=1\nB=x${NOPE}y', { lookup });
    expect(result.errors).toEqual([]);
    expect(result.values.get('B')).toBe('xy');
    expect(result.warnings).toEqual([
      { line: 2, column: 3, message: 'The "NOPE" variable is not set. Defaulting to a blank string.' },
    ]);
  });

  it('without a lookup, only keys of the file must be visible to interpolation', () => {
    const result = parseDotenv('A=1\nB=$A-$HOME');
    expect(result.values.get('B')).toBe('1-');
    expect(result.warnings.map((warning) => warning.message)).toEqual([
      'The "HOME" variable is not set. Defaulting to a blank string.',
    ]);
  });

  it('an empty file must give no values and no errors', () => {
    expect(parseDotenv('')).toEqual({ values: new Map(), errors: [], warnings: [] });
  });
});
