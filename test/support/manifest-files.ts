import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes files (relative path -> content) into a new temporary directory and returns its path. */
export function writeManifestTree(files: Record<string, string>, options: { directoryName?: string } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'composelet-'));
  const base = options.directoryName ? join(root, options.directoryName) : root;
  for (const [relative, content] of Object.entries(files)) {
    const path = join(base, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return base;
}

/** Strips the common indentation of a template literal, so YAML can be written inline with exact lines. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((out, part, index) => out + part + (index < values.length ? String(values[index]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => line.match(/^ */)![0].length));
  return lines.map((line) => line.slice(indent)).join('\n');
}
