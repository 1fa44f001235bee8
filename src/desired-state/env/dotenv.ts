// Parser for `.env` files and `env_file:` files, in Compose's dotenv dialect:
//
//   # comment                      blank lines and lines starting with '#' are ignored
//   export KEY=value               optional 'export ', whitespace around key and '=' trimmed
//   KEY=unquoted value # comment   trimmed; a comment starts at whitespace followed by '#'; interpolated
//   KEY='literal $NOT'             no interpolation, no escapes, may span lines
//   KEY="a\n${OTHER}"              escapes \n \r \t \" \\ \$, interpolated, may span lines
//   KEY                            no '=': take KEY from the caller's environment (value null)
//
// Interpolation resolves names against the keys defined earlier in the same file first, then the lookup.
// Every problem is collected with its 1-based line and column; parsing goes on after each one, and a
// statement with a problem contributes no value.

import { interpolateString } from './interpolate.js';

export interface DotenvProblem {
  line: number;
  column: number;
  message: string;
}

export interface DotenvResult {
  /** In file order; a later duplicate key overrides the value (keeping the first key's position). */
  values: Map<string, string | null>;
  errors: DotenvProblem[];
  /** Unset variables used by interpolation (they became ''). */
  warnings: DotenvProblem[];
}

export interface DotenvOptions {
  lookup?: (name: string) => string | undefined;
  /** Default true. When false, values are taken literally (escapes in double quotes still apply). */
  interpolate?: boolean;
}

const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Whitespace inside one line (never a line break). */
function isInlineSpace(character: string | undefined): boolean {
  return character === ' ' || character === '\t' || character === '\v' || character === '\f';
}

/** Index of an inline comment: a '#' preceded by whitespace (or at the very start of `text`), or -1. */
function findInlineComment(text: string, commentMayStartAtZero: boolean): number {
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] !== '#') continue;
    if (index === 0 ? commentMayStartAtZero : isInlineSpace(text[index - 1])) return index;
  }
  return -1;
}

function stripInlineComment(text: string, commentMayStartAtZero: boolean): string {
  const commentIndex = findInlineComment(text, commentMayStartAtZero);
  return commentIndex === -1 ? text : text.slice(0, commentIndex);
}

/**
 * Unescape the inside of a double-quoted value. With `forTemplate`, an escaped '$' becomes '$$' so that the
 * interpolation that follows yields a literal '$' instead of expanding it.
 */
function unescapeDoubleQuoted(raw: string, forTemplate: boolean): string {
  let output = '';
  for (let index = 0; index < raw.length; index += 1) {
    const character = raw[index];
    if (character !== '\\' || index + 1 >= raw.length) {
      output += character;
      continue;
    }
    const next = raw[index + 1];
    index += 1;
    switch (next) {
      case 'n':
        output += '\n';
        break;
      case 'r':
        output += '\r';
        break;
      case 't':
        output += '\t';
        break;
      case '"':
        output += '"';
        break;
      case '\\':
        output += '\\';
        break;
      case '$':
        output += forTemplate ? '$$' : '$';
        break;
      default:
        // Unknown escapes are kept as written.
        output += `\\${next}`;
    }
  }
  return output;
}

/** Index of the closing quote of a quoted value opening at `openIndex`, or -1. */
function findClosingQuote(source: string, openIndex: number, quote: string): number {
  for (let index = openIndex + 1; index < source.length; index += 1) {
    const character = source[index];
    if (quote === '"' && character === '\\') {
      index += 1;
      continue;
    }
    if (character === quote) return index;
  }
  return -1;
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (const character of text) if (character === '\n') count += 1;
  return count;
}

export function parseDotenv(text: string, options: DotenvOptions = {}): DotenvResult {
  const externalLookup = options.lookup ?? ((): undefined => undefined);
  const shouldInterpolate = options.interpolate ?? true;
  const values = new Map<string, string | null>();
  const errors: DotenvProblem[] = [];
  const warnings: DotenvProblem[] = [];
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');

  const lookupForInterpolation = (name: string): string | undefined => {
    const fileValue = values.get(name);
    return typeof fileValue === 'string' ? fileValue : externalLookup(name);
  };

  /** The interpolated value, or undefined when interpolation failed (the key is then left out). */
  const interpolateValue = (template: string, line: number, column: number): string | undefined => {
    if (!shouldInterpolate) return template;
    const result = interpolateString(template, lookupForInterpolation);
    for (const message of result.errors) errors.push({ line, column, message });
    for (const message of result.warnings) warnings.push({ line, column, message });
    return result.errors.length > 0 ? undefined : result.value;
  };

  let lineStart = 0;
  let lineNumber = 1;
  while (lineStart < source.length) {
    const newlineIndex = source.indexOf('\n', lineStart);
    const lineEnd = newlineIndex === -1 ? source.length : newlineIndex;
    const columnOf = (index: number): number => index - lineStart + 1;
    // Where the next statement starts; moved past a multi-line quoted value when there is one.
    let nextLineStart = lineEnd + 1;
    let nextLineNumber = lineNumber + 1;

    let cursor = lineStart;
    while (cursor < lineEnd && isInlineSpace(source[cursor])) cursor += 1;
    const isBlankOrComment = cursor === lineEnd || source[cursor] === '#';

    if (!isBlankOrComment) {
      if (source.startsWith('export', cursor) && isInlineSpace(source[cursor + 'export'.length])) {
        cursor += 'export'.length;
        while (cursor < lineEnd && isInlineSpace(source[cursor])) cursor += 1;
      }
      const keyColumn = columnOf(cursor);
      const statement = source.slice(cursor, lineEnd);
      const equalsOffset = statement.indexOf('=');
      const commentOffset = findInlineComment(statement, false);

      if (equalsOffset === -1 || (commentOffset !== -1 && commentOffset < equalsOffset)) {
        // `KEY` alone: inherit it from the environment.
        const key = stripInlineComment(statement, false).trimEnd();
        if (KEY_PATTERN.test(key)) values.set(key, null);
        else errors.push({ line: lineNumber, column: keyColumn, message: `invalid variable name ${JSON.stringify(key)}` });
      } else {
        const equalsIndex = cursor + equalsOffset;
        const key = source.slice(cursor, equalsIndex).trimEnd();
        let keyIsValid = false;
        if (key === '') {
          errors.push({ line: lineNumber, column: keyColumn, message: 'missing variable name before "="' });
        } else if (!KEY_PATTERN.test(key)) {
          errors.push({ line: lineNumber, column: keyColumn, message: `invalid variable name ${JSON.stringify(key)}` });
        } else {
          keyIsValid = true;
        }

        let valueIndex = equalsIndex + 1;
        while (valueIndex < lineEnd && isInlineSpace(source[valueIndex])) valueIndex += 1;
        const valueColumn = columnOf(valueIndex);
        const quote = source[valueIndex];
        let value: string | undefined;

        if (valueIndex < lineEnd && (quote === '"' || quote === "'")) {
          const closingIndex = findClosingQuote(source, valueIndex, quote);
          if (closingIndex === -1) {
            errors.push({ line: lineNumber, column: valueColumn, message: `unterminated quoted value (missing closing ${quote})` });
          } else {
            const raw = source.slice(valueIndex + 1, closingIndex);
            const closingLineEndIndex = source.indexOf('\n', closingIndex);
            const closingLineEnd = closingLineEndIndex === -1 ? source.length : closingLineEndIndex;
            const trailing = source.slice(closingIndex + 1, closingLineEnd);
            const trailingWithoutComment = stripInlineComment(trailing, true);
            const linesSpanned = countLineBreaks(raw);
            nextLineStart = closingLineEnd + 1;
            nextLineNumber = lineNumber + linesSpanned + 1;
            if (trailingWithoutComment.trim() !== '') {
              const closingLineStart = source.lastIndexOf('\n', closingIndex) + 1;
              const trailingOffset = trailingWithoutComment.search(/\S/);
              errors.push({
                line: lineNumber + linesSpanned,
                column: closingIndex + 1 + trailingOffset - closingLineStart + 1,
                message: `unexpected text after the closing ${quote}: ${JSON.stringify(trailingWithoutComment.trim())}`,
              });
            } else if (quote === "'") {
              value = raw;
            } else {
              value = interpolateValue(unescapeDoubleQuoted(raw, shouldInterpolate), lineNumber, valueColumn);
            }
          }
        } else {
          // The comment is looked for from just after '=' so that `KEY= # note` is empty but `KEY=#x` is '#x'.
          const raw = stripInlineComment(source.slice(equalsIndex + 1, lineEnd), false).trim();
          value = interpolateValue(raw, lineNumber, valueColumn);
        }

        if (keyIsValid && value !== undefined) values.set(key, value);
      }
    }

    lineStart = nextLineStart;
    lineNumber = nextLineNumber;
  }

  return { values, errors, warnings };
}
