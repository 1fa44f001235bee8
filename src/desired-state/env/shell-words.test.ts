import { describe, expect, it } from 'vitest';
import { splitShellWords } from './shell-words.js';

describe('splitShellWords', () => {
  it.each([
    ['echo hello', ['echo', 'hello']],
    ['  spaced   out  ', ['spaced', 'out']],
    [`sh -c "echo 'hi there'"`, ['sh', '-c', "echo 'hi there'"]],
    [`sh -c 'echo "$HOME"'`, ['sh', '-c', 'echo "$HOME"']],
    ['a\\ b c', ['a b', 'c']],
    ['say "a \\"quoted\\" word"', ['say', 'a "quoted" word']],
    ['empty "" arg', ['empty', '', 'arg']],
    ['x"y"z', ['xyz']],
    ['', []],
  ])('%j must split into %j', (text, words) => {
    expect(splitShellWords(text)).toEqual({ ok: true, words });
  });

  it.each([
    ['echo "open', 'unterminated double quote'],
    ["echo 'open", 'unterminated single quote'],
  ])('%j must be rejected', (text, message) => {
    const result = splitShellWords(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(message);
  });
});
