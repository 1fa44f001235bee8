// Docker Compose variable interpolation, with compose-go's semantics (`template` package):
//
//   $VAR  ${VAR}            value, or '' plus a warning when unset
//   $$                      a literal '$'
//   ${VAR:-default}         default when VAR is unset or empty      ${VAR-default}  only when unset
//   ${VAR:?message}         error when VAR is unset or empty        ${VAR?message}  only when unset
//   ${VAR:+replacement}     replacement when VAR is set and non-empty, else ''
//   ${VAR+replacement}      replacement when VAR is set, else ''
//
// A '$' followed by anything else ('$1', '$ ', '$}' or the end of the text) stays a literal '$', as in
// compose-go. Defaults, messages and replacements may hold further interpolations and balanced braces;
// they are evaluated only when used (so `${SET:-${UNSET}}` does not warn about UNSET).
//
// Parsing is done first, over the whole text, by a small scanner into a list of parts; evaluation
// walks those parts. Unlike compose-go, a malformed expression is an error even inside a default
// that would not have been used: the manifest is wrong either way.

export type VariableLookup = (name: string) => string | undefined;

export interface InterpolationProblem {
  path: Array<string | number>;
  message: string;
}

export interface InterpolationResult<T> {
  value: T;
  errors: InterpolationProblem[];
  warnings: InterpolationProblem[];
  /** Names of every variable that was looked up and found set. */
  usedVariables: Set<string>;
  /** Strings into which an unset or empty variable put nothing, with those variables (to explain an empty
   * or malformed result). */
  blanks: Array<{ path: Array<string | number>; variables: BlankVariable[] }>;
  /** Every string that used at least one set variable: where it sits, what it became and which variables
   * made it (field-level provenance, e.g. which environment values came from `.env`). */
  interpolatedStrings: InterpolatedString[];
}

export interface InterpolatedString {
  path: Array<string | number>;
  value: string;
  usedVariables: string[];
}

/** A variable that contributed nothing to a string: unset, or set to ''. */
export interface BlankVariable {
  name: string;
  unset: boolean;
}

export interface StringInterpolationResult {
  value: string;
  errors: string[];
  warnings: string[];
  /** Names of every variable that was looked up and found set. */
  usedVariables: Set<string>;
  /** Variables that contributed nothing, in the order met. */
  blankVariables: BlankVariable[];
}

/** Deepest allowed nesting of `${...}` inside defaults/messages/replacements. */
export const MAX_INTERPOLATION_NESTING = 100;

/** Longest text quoted whole in an error message; longer texts are cut and end with '…'. */
const MAX_QUOTED_TEXT_LENGTH = 500;

type Operator = ':-' | '-' | ':?' | '?' | ':+' | '+';

type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: string }
  | { kind: 'expression'; name: string; operator: Operator; argument: TemplatePart[] };

/** Thrown inside the scanner only; turned into an error message by `interpolateString`. */
class TemplateSyntaxError extends Error {}

function isNameStart(character: string | undefined): boolean {
  return character !== undefined && /^[A-Za-z_]$/.test(character);
}

function isNameCharacter(character: string | undefined): boolean {
  return character !== undefined && /^[A-Za-z0-9_]$/.test(character);
}

function scanName(text: string, start: number): number {
  let end = start;
  while (isNameCharacter(text[end])) end += 1;
  return end;
}

interface SequenceOutcome {
  parts: TemplatePart[];
  /** Index of the closing '}' when `insideBraces`, else text.length; null when the text ended before the
   * closing brace. */
  end: number | null;
}

/**
 * Scan text from `start`. At the top level the whole rest of the text is scanned; inside braces (a default,
 * message or replacement) the scan stops at the '}' that balances the expression, counting bare '{' like
 * compose-go does so that `${X:-{"a":1}}` has the default `{"a":1}`.
 */
function parseSequence(text: string, start: number, depth: number, insideBraces: boolean): SequenceOutcome {
  const parts: TemplatePart[] = [];
  let literal = '';
  let literalStart = start;
  let index = start;
  let bareBraceDepth = 0;

  const flushLiteral = (until: number): void => {
    literal += text.slice(literalStart, until);
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    literal = '';
  };

  while (index < text.length) {
    const character = text[index];
    if (character === '$') {
      const next = text[index + 1];
      if (next === '$') {
        literal += text.slice(literalStart, index) + '$';
        index += 2;
        literalStart = index;
        continue;
      }
      if (next === '{') {
        flushLiteral(index);
        const braced = parseBraced(text, index, depth + 1);
        parts.push(braced.part);
        index = braced.end;
        literalStart = index;
        continue;
      }
      if (isNameStart(next)) {
        flushLiteral(index);
        const nameEnd = scanName(text, index + 1);
        parts.push({ kind: 'variable', name: text.slice(index + 1, nameEnd) });
        index = nameEnd;
        literalStart = index;
        continue;
      }
      // A lone '$' is literal, as in compose-go.
      index += 1;
      continue;
    }
    if (insideBraces) {
      if (character === '{') {
        bareBraceDepth += 1;
      } else if (character === '}') {
        if (bareBraceDepth === 0) {
          flushLiteral(index);
          return { parts, end: index };
        }
        bareBraceDepth -= 1;
      }
    }
    index += 1;
  }

  flushLiteral(index);
  return { parts, end: insideBraces ? null : index };
}

function missingClosingBrace(dollarIndex: number): TemplateSyntaxError {
  return new TemplateSyntaxError(`missing closing "}" for the "\${" at character ${dollarIndex + 1}`);
}

/** Parse `${...}` whose '$' is at `dollarIndex`; returns the part and the index just after the closing '}'. */
function parseBraced(text: string, dollarIndex: number, depth: number): { part: TemplatePart; end: number } {
  if (depth > MAX_INTERPOLATION_NESTING) {
    throw new TemplateSyntaxError(
      `nesting deeper than ${MAX_INTERPOLATION_NESTING} levels at character ${dollarIndex + 1}`,
    );
  }
  const nameStart = dollarIndex + 2;
  const first = text[nameStart];
  if (first === undefined) throw missingClosingBrace(dollarIndex);
  if (first === '}') throw new TemplateSyntaxError(`empty variable name at character ${dollarIndex + 1}`);
  if (!isNameStart(first)) {
    throw new TemplateSyntaxError(
      `variable name must start with a letter or "_", found ${JSON.stringify(first)} at character ${nameStart + 1}`,
    );
  }
  const nameEnd = scanName(text, nameStart);
  const name = text.slice(nameStart, nameEnd);
  const afterName = text[nameEnd];
  if (afterName === undefined) throw missingClosingBrace(dollarIndex);
  if (afterName === '}') return { part: { kind: 'variable', name }, end: nameEnd + 1 };

  let operator: Operator;
  let argumentStart: number;
  if (afterName === ':') {
    const operatorCharacter = text[nameEnd + 1];
    if (operatorCharacter === undefined) throw missingClosingBrace(dollarIndex);
    if (operatorCharacter !== '-' && operatorCharacter !== '?' && operatorCharacter !== '+') {
      throw new TemplateSyntaxError(
        `unknown operator ${JSON.stringify(`:${operatorCharacter}`)} after variable "${name}" at character ${nameEnd + 1} (expected :- - :? ? :+ + or "}")`,
      );
    }
    operator = `:${operatorCharacter}`;
    argumentStart = nameEnd + 2;
  } else if (afterName === '-' || afterName === '?' || afterName === '+') {
    operator = afterName;
    argumentStart = nameEnd + 1;
  } else {
    throw new TemplateSyntaxError(
      `unexpected ${JSON.stringify(afterName)} after variable "${name}" at character ${nameEnd + 1} (expected :- - :? ? :+ + or "}")`,
    );
  }

  const argument = parseSequence(text, argumentStart, depth, true);
  if (argument.end === null) throw missingClosingBrace(dollarIndex);
  return { part: { kind: 'expression', name, operator, argument: argument.parts }, end: argument.end + 1 };
}

interface EvaluationState {
  lookup: VariableLookup;
  errors: string[];
  warnings: string[];
  warnedNames: Set<string>;
  usedVariables: Set<string>;
  blankVariables: BlankVariable[];
}

function noteBlank(state: EvaluationState, name: string, value: string | undefined): void {
  if (value !== undefined && value !== '') return;
  if (state.blankVariables.some((blank) => blank.name === name)) return;
  state.blankVariables.push({ name, unset: value === undefined });
}

function resolveVariable(name: string, state: EvaluationState): string | undefined {
  const value = state.lookup(name);
  if (value !== undefined) state.usedVariables.add(name);
  return value;
}

function missingRequiredMessage(name: string, reason: string): string {
  return reason === ''
    ? `required variable ${name} is missing a value`
    : `required variable ${name} is missing a value: ${reason}`;
}

function evaluateParts(parts: TemplatePart[], state: EvaluationState): string {
  let output = '';
  for (const part of parts) {
    if (part.kind === 'text') {
      output += part.text;
      continue;
    }
    const value = resolveVariable(part.name, state);
    if (part.kind === 'variable') {
      noteBlank(state, part.name, value);
      if (value === undefined && !state.warnedNames.has(part.name)) {
        state.warnedNames.add(part.name);
        state.warnings.push(`The "${part.name}" variable is not set. Defaulting to a blank string.`);
      }
      output += value ?? '';
      continue;
    }
    const isSet = value !== undefined;
    const isNonEmpty = value !== undefined && value !== '';
    switch (part.operator) {
      case ':-':
        output += isNonEmpty ? value : evaluateParts(part.argument, state);
        break;
      case '-':
        if (isSet) noteBlank(state, part.name, value);
        output += isSet ? value : evaluateParts(part.argument, state);
        break;
      case ':?':
      case '?': {
        const satisfied = part.operator === ':?' ? isNonEmpty : isSet;
        if (satisfied) output += value ?? '';
        else state.errors.push(missingRequiredMessage(part.name, evaluateParts(part.argument, state)));
        break;
      }
      case ':+':
        output += isNonEmpty ? evaluateParts(part.argument, state) : '';
        break;
      case '+':
        output += isSet ? evaluateParts(part.argument, state) : '';
        break;
    }
  }
  return output;
}

function quoteForMessage(text: string): string {
  const shown = text.length > MAX_QUOTED_TEXT_LENGTH ? `${text.slice(0, MAX_QUOTED_TEXT_LENGTH)}…` : text;
  return JSON.stringify(shown);
}

/**
 * Interpolate one string. On a malformed expression the value is the text unchanged and `errors` holds
 * one message; a missing required variable contributes '' to the value and one error each.
 */
export function interpolateString(text: string, lookup: VariableLookup): StringInterpolationResult {
  const usedVariables = new Set<string>();
  if (!text.includes('$')) return { value: text, errors: [], warnings: [], usedVariables, blankVariables: [] };

  let parts: TemplatePart[];
  try {
    parts = parseSequence(text, 0, 0, false).parts;
  } catch (error) {
    if (!(error instanceof TemplateSyntaxError)) throw error;
    return {
      value: text,
      errors: [`invalid interpolation format for ${quoteForMessage(text)}: ${error.message}`],
      warnings: [],
      usedVariables,
      blankVariables: [],
    };
  }

  const state: EvaluationState = { lookup, errors: [], warnings: [], warnedNames: new Set(), usedVariables, blankVariables: [] };
  const value = evaluateParts(parts, state);
  return { value, errors: state.errors, warnings: state.warnings, usedVariables, blankVariables: state.blankVariables };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Walk a parsed YAML value (plain objects, arrays, strings, numbers, booleans, null) and interpolate every
 * string VALUE (never keys), recording the path of each problem, e.g. ['services','api','image']. Returns a
 * new value; does not mutate the input. Keys starting with 'x-' are still walked (Compose interpolates
 * them). Any other kind of value (Date, Map, …) is passed through as is.
 */
export function interpolateTree<T>(
  value: T,
  lookup: VariableLookup,
  basePath: Array<string | number> = [],
): InterpolationResult<T> {
  const errors: InterpolationProblem[] = [];
  const warnings: InterpolationProblem[] = [];
  const usedVariables = new Set<string>();
  const blanks: InterpolationResult<T>['blanks'] = [];
  const interpolatedStrings: InterpolatedString[] = [];
  const path: Array<string | number> = [...basePath];

  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const result = interpolateString(node, lookup);
      for (const message of result.errors) errors.push({ path: [...path], message });
      for (const message of result.warnings) warnings.push({ path: [...path], message });
      for (const name of result.usedVariables) usedVariables.add(name);
      if (result.blankVariables.length > 0) blanks.push({ path: [...path], variables: result.blankVariables });
      if (result.usedVariables.size > 0) {
        interpolatedStrings.push({ path: [...path], value: result.value, usedVariables: [...result.usedVariables] });
      }
      return result.value;
    }
    if (Array.isArray(node)) {
      return node.map((item: unknown, index) => {
        path.push(index);
        const walked = walk(item);
        path.pop();
        return walked;
      });
    }
    if (isPlainObject(node)) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        path.push(key);
        // defineProperty so that a '__proto__' key stays an own property instead of setting the prototype.
        Object.defineProperty(copy, key, { value: walk(item), enumerable: true, writable: true, configurable: true });
        path.pop();
      }
      return copy;
    }
    return node;
  };

  return { value: walk(value) as T, errors, warnings, usedVariables, blanks, interpolatedStrings };
}
