import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readComposeFile } from './load-file.js';

describe('readComposeFile', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  const file = () => {
    const directory = mkdtempSync(join(tmpdir(), 'composelet-load-file-'));
    directories.push(directory);
    return join(directory, 'compose.yaml');
  };

  it('a file read again unchanged must not be parsed again', () => {
    const path = file();
    writeFileSync(path, 'services:\n  web:\n    image: nginx\n');
    const first = readComposeFile(path);
    const second = readComposeFile(path);
    expect(second.sources[0]).toBe(first.sources[0]);
  });

  it('an edited file must be parsed again and read as edited', () => {
    const path = file();
    writeFileSync(path, 'services:\n  web:\n    image: nginx\n');
    const first = readComposeFile(path);
    writeFileSync(path, 'services:\n  web:\n    image: caddy\n');
    const second = readComposeFile(path);
    expect(second.sources[0]).not.toBe(first.sources[0]);
    expect(second.sources[0]?.value).toEqual({ services: { web: { image: 'caddy' } } });
  });

  it('a file that broke must report its problem again on every read', () => {
    const path = file();
    writeFileSync(path, 'services:\n  web: [\n');
    expect(readComposeFile(path).issues).toHaveLength(1);
    expect(readComposeFile(path).issues).toHaveLength(1);
  });
});
