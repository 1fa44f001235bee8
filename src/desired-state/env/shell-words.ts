// Splits a command written as one string into words the way Compose does (POSIX shell quoting, no
// expansion): `sh -c "echo 'hi there'"` -> ['sh', '-c', "echo 'hi there'"].

export type ShellWordsResult = { ok: true; words: string[] } | { ok: false; error: string };

export function splitShellWords(text: string): ShellWordsResult {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (quote === "'") {
      if (character === "'") quote = null;
      else current += character;
      continue;
    }
    if (quote === '"') {
      if (character === '"') quote = null;
      else if (character === '\\' && index + 1 < text.length && '"\\$`\n'.includes(text[index + 1]!)) {
        index += 1;
        if (text[index] !== '\n') current += text[index];
      } else current += character;
      continue;
    }
    if (character === "'" || character === '"') {
      quote = character;
      inWord = true;
    } else if (character === '\\') {
      index += 1;
      if (index < text.length && text[index] !== '\n') current += text[index];
      inWord = true;
    } else if (/\s/.test(character)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += character;
      inWord = true;
    }
  }
  if (quote) return { ok: false, error: `unterminated ${quote === '"' ? 'double' : 'single'} quote in ${JSON.stringify(text)}` };
  if (inWord) words.push(current);
  return { ok: true, words };
}
