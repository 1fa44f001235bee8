import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpolateString, interpolateTree, MAX_INTERPOLATION_NESTING } from './interpolate.js';
import type { VariableLookup } from './interpolate.js';

const environment: Record<string, string> = {
  FOO: 'first',
  BAR: '',
  TAG: '1.2',
  HOST: 'db',
  DOLLAR: '$HOME',
};

const lookup: VariableLookup = (name) => (Object.hasOwn(environment, name) ? environment[name] : undefined);

function invalid(text: string, detail: string): string {
  return `invalid interpolation format for ${JSON.stringify(text)}: ${detail}`;
}

describe('interpolateString', () => {
  it.each([
    // plain and literal text
    ['plain text', 'plain text'],
    ['', ''],
    ['$$', '$'],
    ['$${FOO}', '${FOO}'],
    ['$$FOO', '$FOO'],
    ['$$$FOO', '$first'],
    ['a $ string', 'a $ string'],
    ['^REGEX$', '^REGEX$'],
    ['$}', '$}'],
    ['$', '$'],
    ['price: $1', 'price: $1'],
    ['{FOO}', '{FOO}'],
    ['}{', '}{'],
    // plain variables
    ['$FOO', 'first'],
    ['${FOO}', 'first'],
    ['This $FOO var', 'This first var'],
    ['$FOO-bar', 'first-bar'],
    ['$FOO.bar', 'first.bar'],
    ['${FOO}bar', 'firstbar'],
    ['image:${TAG}', 'image:1.2'],
    ['${BAR}', ''],
    ['x${FOO}${FOO}x', 'xfirstfirstx'],
    ['${DOLLAR}', '$HOME'],
    ['${foo_lower_case_set}', ''],
    // soft and hard defaults
    ['${MISSING:-def}', 'def'],
    ['${MISSING-def}', 'def'],
    ['${BAR:-def}', 'def'],
    ['${BAR-def}', ''],
    ['${FOO:-def}', 'first'],
    ['${FOO-def}', 'first'],
    ['${MISSING:-}', ''],
    ['${MISSING:-/non:-alphanumeric}', '/non:-alphanumeric'],
    ['${MISSING-a b  c}', 'a b  c'],
    ['${MISSING-myerror?msg}', 'myerror?msg'],
    ['${MISSING:-{"a":1}}', '{"a":1}'],
    ['${FOO:-{"a":1}}', 'first'],
    ['${FOO:-a}}', 'first}'],
    ['${MISSING:-$$}', '$'],
    ['${MISSING:-$}', '$'],
    // nested defaults
    ['${MISSING:-${FOO}}', 'first'],
    ['${MISSING:-$FOO}', 'first'],
    ['${MISSING-${FOO} ${FOO}}', 'first first'],
    ['${MISSING:-${OTHER:-x}}', 'x'],
    ['${MISSING:-${OTHER:-${FOO}}}/path', 'first/path'],
    ['+ok ${MISSING:-${BAR-defaultValue}}', '+ok '],
    ['${FOO:-${MISSING}}', 'first'],
    // required variables that are present
    ['${FOO:?err}', 'first'],
    ['${FOO?err}', 'first'],
    ['${BAR?err}', ''],
    ['${FOO?bar-baz}', 'first'],
    // replacements
    ['${FOO:+replaced}', 'replaced'],
    ['${FOO+replaced}', 'replaced'],
    ['${BAR:+replaced}', ''],
    ['${BAR+replaced}', 'replaced'],
    ['${MISSING:+replaced}', ''],
    ['${MISSING+replaced}', ''],
    ['ok ${BAR+$FOO ${FOO:+second}}', 'ok first second'],
    // operators in the surrounding text do not matter
    [':-ok ${MISSING-defaultValue}', ':-ok defaultValue'],
    [':?ok ${BAR:-defaultValue}', ':?ok defaultValue'],
    ['-ok ${FOO:-defaultValue}', '-ok first'],
    ['${FOO}-${MISSING:-x}:${TAG}', 'first-x:1.2'],
  ])('interpolating %j must give %j', (text, expected) => {
    const result = interpolateString(text, lookup);
    expect(result.errors).toEqual([]);
    expect(result.value).toBe(expected);
  });

  it.each([
    ['${', 'missing closing "}" for the "${" at character 1'],
    ['x ${FOO', 'missing closing "}" for the "${" at character 3'],
    ['${FOO:', 'missing closing "}" for the "${" at character 1'],
    ['${FOO:-abc', 'missing closing "}" for the "${" at character 1'],
    ['${FOO:-${BAR}', 'missing closing "}" for the "${" at character 1'],
    ['${FOO:-${BAR:-x}', 'missing closing "}" for the "${" at character 1'],
    ['${FOO:-${BAR:-x', 'missing closing "}" for the "${" at character 8'],
    ['${}', 'empty variable name at character 1'],
    ['${1abc}', 'variable name must start with a letter or "_", found "1" at character 3'],
    ['${ foo}', 'variable name must start with a letter or "_", found " " at character 3'],
    ['${foo }', 'unexpected " " after variable "foo" at character 6 (expected :- - :? ? :+ + or "}")'],
    ['${foo!}', 'unexpected "!" after variable "foo" at character 6 (expected :- - :? ? :+ + or "}")'],
    ['${foo.bar}', 'unexpected "." after variable "foo" at character 6 (expected :- - :? ? :+ + or "}")'],
    ['${FOO:x}', 'unknown operator ":x" after variable "FOO" at character 6 (expected :- - :? ? :+ + or "}")'],
    ['${FOO:-${}}', 'empty variable name at character 8'],
    ['${FOO:=x}', 'unknown operator ":=" after variable "FOO" at character 6 (expected :- - :? ? :+ + or "}")'],
  ])('a malformed expression %j must be an error', (text, detail) => {
    const result = interpolateString(text, lookup);
    expect(result.errors).toEqual([invalid(text, detail)]);
    expect(result.value).toBe(text);
  });

  it.each([
    ['${MISSING:?Mandatory Variable Unset}', 'required variable MISSING is missing a value: Mandatory Variable Unset'],
    ['${BAR:?Mandatory Variable Empty}', 'required variable BAR is missing a value: Mandatory Variable Empty'],
    ['${MISSING:?}', 'required variable MISSING is missing a value'],
    ['${MISSING?Mandatory Variable Unset}', 'required variable MISSING is missing a value: Mandatory Variable Unset'],
    ['${MISSING?}', 'required variable MISSING is missing a value'],
    ['${MISSING?bar-baz}', 'required variable MISSING is missing a value: bar-baz'],
    ['${MISSING:?set it in ${FOO}.env}', 'required variable MISSING is missing a value: set it in first.env'],
    ['${OTHER:-${MISSING:?nested}}', 'required variable MISSING is missing a value: nested'],
  ])('a missing required variable in %j must be the error %j', (text, message) => {
    const result = interpolateString(text, lookup);
    expect(result.errors).toEqual([message]);
    expect(result.value).toBe('');
  });

  it('every missing required variable of a string must be reported, not only the first', () => {
    const result = interpolateString('${A:?a is needed} and ${B?b is needed}', lookup);
    expect(result.errors).toEqual([
      'required variable A is missing a value: a is needed',
      'required variable B is missing a value: b is needed',
    ]);
    expect(result.value).toBe(' and ');
  });

  it.each([
    ['${FOO:-${MISSING:?never evaluated}}', 'first', ['FOO']],
    ['${MISSING:+${OTHER:?never evaluated}}', '', []],
    ['${FOO:?${UNSET_IN_MESSAGE}}', 'first', ['FOO']],
  ])('an unused default, replacement or message in %j must not be evaluated', (text, expected, used) => {
    const result = interpolateString(text, lookup);
    expect(result).toEqual({ value: expected, errors: [], warnings: [], usedVariables: new Set(used), blankVariables: [] });
  });

  it.each([
    ['$MISSING', ['MISSING']],
    ['${MISSING}', ['MISSING']],
    ['${MISSING} and $MISSING', ['MISSING']],
    ['$ONE${TWO}', ['ONE', 'TWO']],
    ['${OTHER:-$MISSING}', ['MISSING']],
    ['${BAR}', []],
    ['${MISSING:-x}', []],
    ['${MISSING-x}', []],
    ['${MISSING:+x}', []],
    ['${MISSING+x}', []],
    ['$$MISSING', []],
  ])('%j must warn about the unset variables %j', (text, names) => {
    const result = interpolateString(text, lookup);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual(
      names.map((name) => `The "${name}" variable is not set. Defaulting to a blank string.`),
    );
  });

  it.each<[string, Array<{ name: string; unset: boolean }>]>([
    ['${FOO}/api:${MISSING}', [{ name: 'MISSING', unset: true }]],
    ['$MISSING$MISSING', [{ name: 'MISSING', unset: true }]],
    ['${BAR}-${MISSING-}', [{ name: 'BAR', unset: false }]],
    ['${BAR:-x}${MISSING:-y}', []],
    ['${FOO}', []],
  ])('%j must name the variables that put nothing in it: %j', (text, blanks) => {
    expect(interpolateString(text, lookup).blankVariables).toEqual(blanks);
  });

  it.each([
    ['$FOO ${BAR} ${TAG:-x}', ['FOO', 'BAR', 'TAG']],
    ['${MISSING:-$HOST}', ['HOST']],
    ['${FOO:-$HOST}', ['FOO']],
    ['${MISSING} $$FOO', []],
    ['${BAR+$TAG}', ['BAR', 'TAG']],
  ])('%j must report the used variables %j', (text, names) => {
    expect(interpolateString(text, lookup).usedVariables).toEqual(new Set(names));
  });

  it('a lookup value containing "$" must not be interpolated again', () => {
    expect(interpolateString('${DOLLAR:-x}/$DOLLAR', lookup).value).toBe('$HOME/$HOME');
  });

  it(`nesting up to ${MAX_INTERPOLATION_NESTING} levels must be accepted`, () => {
    const text = '${A:-'.repeat(MAX_INTERPOLATION_NESTING) + 'deep' + '}'.repeat(MAX_INTERPOLATION_NESTING);
    expect(interpolateString(text, lookup)).toMatchObject({ value: 'deep', errors: [] });
  });

  it(`nesting beyond ${MAX_INTERPOLATION_NESTING} levels must be an error`, () => {
    const levels = MAX_INTERPOLATION_NESTING + 1;
    const text = '${A:-'.repeat(levels) + 'deep' + '}'.repeat(levels);
    const result = interpolateString(text, lookup);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(`nesting deeper than ${MAX_INTERPOLATION_NESTING} levels at character 501`);
  });

  it('pathological nesting of 10,000 levels must fail quickly with one error', () => {
    const text = '${A:-'.repeat(10_000) + 'x' + '}'.repeat(10_000);
    const startedAt = performance.now();
    const result = interpolateString(text, lookup);
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^invalid interpolation format for ".*…": nesting deeper than 100 levels/);
    // The quoted text is cut so the message stays readable.
    expect(result.errors[0]!.length).toBeLessThan(700);
  });

  it('a long unterminated text must fail quickly', () => {
    const text = '${A:-' + '{'.repeat(200_000);
    const startedAt = performance.now();
    const result = interpolateString(text, lookup);
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    expect(result.errors[0]).toContain('missing closing "}" for the "${" at character 1');
  });

  it('text without "$" must come back unchanged (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (randomText) => {
        const text = randomText.replaceAll('$', '');
        const result = interpolateString(text, lookup);
        expect(result).toEqual({ value: text, errors: [], warnings: [], usedVariables: new Set(), blankVariables: [] });
      }),
    );
  });

  it('any text with every "$" doubled must interpolate back to itself (property)', () => {
    const interestingCharacter = fc.constantFrom('$', '{', '}', ':', '-', '?', '+', 'A', '_', '1', ' ', 'é');
    const text = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: interestingCharacter, maxLength: 40 }));
    fc.assert(
      fc.property(text, (original) => {
        const escaped = original.replaceAll('$', () => '$$');
        const result = interpolateString(escaped, lookup);
        expect(result).toEqual({ value: original, errors: [], warnings: [], usedVariables: new Set(), blankVariables: [] });
      }),
    );
  });
});

describe('interpolateTree', () => {
  const manifest = {
    name: '${PROJECT:-demo}',
    services: {
      api: {
        image: 'registry/api:${TAG}',
        ports: ['${PORT:-8080}:80', 8443],
        environment: { DB_HOST: '$HOST', DEBUG: true, EMPTY: null, '${NOT_A_KEY}': 'literal' },
        command: ['echo', '$$HOME'],
      },
    },
    'x-common': { label: '${FOO}' },
  };

  it('every string value must be interpolated and keys must be left alone', () => {
    const result = interpolateTree(manifest, lookup);
    expect(result.value).toEqual({
      name: 'demo',
      services: {
        api: {
          image: 'registry/api:1.2',
          ports: ['8080:80', 8443],
          environment: { DB_HOST: 'db', DEBUG: true, EMPTY: null, '${NOT_A_KEY}': 'literal' },
          command: ['echo', '$HOME'],
        },
      },
      'x-common': { label: 'first' },
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.usedVariables).toEqual(new Set(['TAG', 'HOST', 'FOO']));
  });

  it('interpolating a tree must not mutate the input', () => {
    const snapshot = structuredClone(manifest);
    const result = interpolateTree(manifest, lookup);
    expect(manifest).toEqual(snapshot);
    expect(result.value).not.toBe(manifest);
    expect(result.value.services.api.ports).not.toBe(manifest.services.api.ports);
  });

  it('every problem of a tree must be collected with its path', () => {
    const tree = {
      services: {
        api: { image: '${IMAGE:?set IMAGE}', labels: ['ok', '${broken'] },
        db: { image: 'postgres:${PG_VERSION}', user: '${DB_USER?}' },
      },
      'x-extra': '${1bad}',
    };
    const result = interpolateTree(tree, lookup);
    expect(result.errors).toEqual([
      { path: ['services', 'api', 'image'], message: 'required variable IMAGE is missing a value: set IMAGE' },
      {
        path: ['services', 'api', 'labels', 1],
        message: invalid('${broken', 'missing closing "}" for the "${" at character 1'),
      },
      { path: ['services', 'db', 'user'], message: 'required variable DB_USER is missing a value' },
      {
        path: ['x-extra'],
        message: invalid('${1bad}', 'variable name must start with a letter or "_", found "1" at character 3'),
      },
    ]);
    expect(result.warnings).toEqual([
      {
        path: ['services', 'db', 'image'],
        message: 'The "PG_VERSION" variable is not set. Defaulting to a blank string.',
      },
    ]);
  });

  it('problem paths must start with the base path', () => {
    const result = interpolateTree({ image: '$NOPE' }, lookup, ['services', 'web']);
    expect(result.warnings.map((warning) => warning.path)).toEqual([['services', 'web', 'image']]);
  });

  it.each([
    [42, 42],
    [true, true],
    [null, null],
    ['$FOO', 'first'],
    [['$FOO', ['${TAG}']], ['first', ['1.2']]],
  ])('interpolating the value %j must give %j', (input, expected) => {
    expect(interpolateTree(input, lookup).value).toEqual(expected);
  });

  it('a "__proto__" key must stay an own key of the copy', () => {
    const tree = JSON.parse('{"__proto__": {"polluted": "$FOO"}}') as Record<string, unknown>;
    const result = interpolateTree(tree, lookup);
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(result.value, '__proto__')?.value).toEqual({ polluted: 'first' });
  });
});
