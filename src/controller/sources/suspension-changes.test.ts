import { describe, expect, it } from 'vitest';
import { projectOfSuspensionFile } from './suspension-changes.js';

describe('suspension file changes', () => {
  it.each<[string | null, string | null]>([
    ['shop.json', 'shop'],
    ['my-project_2.json', 'my-project_2'],
    ['.shop.json.123.456.tmp', null],
    ['.json', null],
    ['notes.txt', null],
    [null, null],
  ])('the file %j must wake project %j', (filename, project) => {
    expect(projectOfSuspensionFile(filename)).toBe(project);
  });
});
