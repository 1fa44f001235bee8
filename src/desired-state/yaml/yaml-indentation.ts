// The YAML parser reports a mis-indented key where it noticed the problem, often the line before it, in its
// own words ("Nested mappings are not allowed in compact mappings"). This finds the key at fault from the
// text itself and says what is wrong with it, at its own line, with its path in the document.

export interface IndentationProblem {
  line: number;
  column: number;
  path: Array<string | number>;
  message: string;
}

interface KeyLine {
  /** 0-based index of the line. */
  index: number;
  /** Column (0-based) where the key starts, after any "- " sequence markers. */
  indent: number;
  key: string;
  /** Column (0-based) of the first "- " marker when the key opens a sequence item. */
  itemIndent: number | null;
}

const KEY_LINE = /^( *)((?:- +)*)("[^"]*"|'[^']*'|[^\s#'"\-?:][^#]*?|-[^\s][^#]*?)[ \t]*:(?:[ \t]|$)/;

export function parseKeyLine(text: string, index: number): KeyLine | null {
  const match = KEY_LINE.exec(text);
  if (!match) return null;
  const leading = match[1]!.length;
  const markers = match[2]!;
  return {
    index,
    indent: leading + markers.length,
    key: match[3]!.replace(/^["']|["']$/g, ''),
    itemIndent: markers ? leading : null,
  };
}

function isContent(line: string): boolean {
  const trimmed = line.trim();
  return trimmed !== '' && !trimmed.startsWith('#') && trimmed !== '---' && trimmed !== '...';
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

/** The keys (and sequence indexes) leading to the key on `line`, that key included. */
export function pathOfLine(lines: readonly string[], line: KeyLine): Array<string | number> {
  const path: Array<string | number> = [line.key];
  if (line.itemIndent !== null) path.unshift(sequenceIndex(lines, line.index, line.itemIndent));
  let limit = line.itemIndent ?? line.indent;
  for (let index = line.index - 1; index >= 0 && limit > 0; index -= 1) {
    const text = lines[index]!;
    if (!isContent(text)) continue;
    const parsed = parseKeyLine(text, index);
    if (!parsed) {
      // A sequence item with no key on its own line (`-` then a map below it); anything else is a
      // continuation of a multi-line value.
      if (/^ *-( |$)/.test(text) && indentOf(text) < limit) {
        limit = indentOf(text);
        path.unshift(sequenceIndex(lines, index, limit));
      }
      continue;
    }
    if (parsed.indent < limit) {
      path.unshift(parsed.key);
      if (parsed.itemIndent !== null) path.unshift(sequenceIndex(lines, index, parsed.itemIndent));
      limit = parsed.itemIndent ?? parsed.indent;
    } else if (parsed.itemIndent !== null && parsed.itemIndent < limit) {
      // `- key:` whose marker is left of us: we are a later key of that item.
      path.unshift(sequenceIndex(lines, index, parsed.itemIndent));
      limit = parsed.itemIndent;
    }
  }
  return path;
}

function sequenceIndex(lines: readonly string[], itemLine: number, itemIndent: number): number {
  let count = 0;
  for (let index = itemLine - 1; index >= 0; index -= 1) {
    const text = lines[index]!;
    if (!isContent(text)) continue;
    const indent = indentOf(text);
    if (indent < itemIndent) break;
    if (indent === itemIndent && text.slice(indent).startsWith('- ')) count += 1;
    if (indent === itemIndent && !text.slice(indent).startsWith('-')) break;
  }
  return count;
}

function nextKeyLine(lines: readonly string[], from: number): KeyLine | null {
  for (let index = from; index < lines.length; index += 1) {
    if (!isContent(lines[index]!)) continue;
    return parseKeyLine(lines[index]!, index);
  }
  return null;
}

function previousKeyLine(lines: readonly string[], before: number, accept: (line: KeyLine) => boolean): KeyLine | null {
  for (let index = before - 1; index >= 0; index -= 1) {
    if (!isContent(lines[index]!)) continue;
    const line = parseKeyLine(lines[index]!, index);
    if (line && accept(line)) return line;
  }
  return null;
}

/**
 * Explains a parser error about indentation. `errorLine` is the 1-based line the parser named; `code` is
 * its error code. Null when the text does not show a mis-indented key there.
 */
export function explainIndentation(text: string, errorLine: number, code: string): IndentationProblem | null {
  const lines = text.split(/\r?\n/);
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    // `image: x` then `command:` indented deeper: the parser stops at `image`'s value.
    const above = parseKeyLine(lines[errorLine - 1] ?? '', errorLine - 1);
    if (!above) return null;
    const culprit = nextKeyLine(lines, errorLine);
    if (!culprit || culprit.indent <= above.indent) return null;
    const path = [...pathOfLine(lines, above).slice(0, -1), culprit.key];
    return {
      line: culprit.index + 1,
      column: culprit.indent + 1,
      path,
      message: `"${culprit.key}" is indented deeper than "${above.key}" on line ${above.index + 1}: "${above.key}" already has a value, so "${culprit.key}" must line up with it (column ${above.indent + 1})`,
    };
  }
  if (code === 'BAD_INDENT') {
    // A key that lines up with nothing: left of its siblings, right of its parent.
    const culprit = parseKeyLine(lines[errorLine - 1] ?? '', errorLine - 1);
    if (!culprit) return null;
    const sibling = previousKeyLine(lines, culprit.index, (line) => line.indent > culprit.indent);
    const parent = previousKeyLine(lines, culprit.index, (line) => line.indent < culprit.indent);
    if (!sibling) return null;
    const path = parent ? [...pathOfLine(lines, parent), culprit.key] : [culprit.key];
    return {
      line: culprit.index + 1,
      column: culprit.indent + 1,
      path,
      message: `"${culprit.key}" (column ${culprit.indent + 1}) does not line up with "${sibling.key}" on line ${sibling.index + 1} (column ${sibling.indent + 1}): keys of one map must start at the same column`,
    };
  }
  return null;
}
