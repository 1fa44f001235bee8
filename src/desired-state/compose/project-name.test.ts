import { describe, expect, it } from 'vitest';
import { normalizeProjectName, resolveProjectName, type ProjectNameSources } from './project-name.js';

describe('normalizeProjectName', () => {
  it.each([
    ['My.Shop_App-2', 'myshop_app-2'],
    ['__-shop', 'shop'],
    ['Café Ω', 'caf'],
    ['...', ''],
  ])('%j must become %j', (name, expected) => {
    expect(normalizeProjectName(name)).toBe(expected);
  });
});

describe('resolveProjectName', () => {
  const all: ProjectNameSources = { flag: 'flag', environment: 'env', dotenv: 'dotenv', manifest: 'Manifest', directoryName: 'Dir' };
  it.each<[string, ProjectNameSources, string, string]>([
    ['--project-name first', all, 'flag', '--project-name'],
    ['then COMPOSE_PROJECT_NAME from the environment', { ...all, flag: undefined }, 'env', 'COMPOSE_PROJECT_NAME'],
    ['then COMPOSE_PROJECT_NAME from .env', { ...all, flag: undefined, environment: '' }, 'dotenv', 'COMPOSE_PROJECT_NAME'],
    ['then name:, normalized', { directoryName: 'Dir', manifest: 'Manifest' }, 'manifest', 'name'],
    ['then the directory, normalized', { directoryName: 'Dir', manifest: '!!!' }, 'dir', 'directory'],
  ])('%s', (_name, sources, name, origin) => {
    expect(resolveProjectName(sources)).toEqual({ ok: true, name, origin });
  });

  it.each<[string, ProjectNameSources, string]>([
    ['an invalid --project-name', { flag: 'Shop', directoryName: 'dir' }, '--project-name'],
    ['an invalid COMPOSE_PROJECT_NAME', { dotenv: 'my shop', directoryName: 'dir' }, 'COMPOSE_PROJECT_NAME'],
    ['a directory name with nothing left', { directoryName: '...' }, 'directory'],
  ])('%s must be an error', (_name, sources, origin) => {
    expect(resolveProjectName(sources)).toMatchObject({ ok: false, origin });
  });
});
