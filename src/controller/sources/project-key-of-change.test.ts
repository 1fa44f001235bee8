import { describe, expect, it } from 'vitest';
import { isIgnoredPath, projectKeyOfChange, segmentsUnder } from './project-key-of-change.js';

const root = '/srv/manifests';

describe('projectKeyOfChange in a manifests root whose subdirectories are projects', () => {
  it.each([
    ['/srv/manifests/web/compose.yaml', 'change', 'web'],
    ['/srv/manifests/web/config/nginx.conf', 'add', 'web'],
    ['/srv/manifests/web/.env', 'change', 'web'],
    ['web/compose.yaml', 'unlink', 'web'],
    ['/srv/manifests/api', 'addDir', 'api'],
    ['/srv/manifests/api', 'unlinkDir', 'api'],
    ['/srv/manifests/compose.yaml', 'add', '.'],
    ['/srv/manifests/docker-compose.yml', 'unlink', '.'],
    ['/srv/manifests/README.md', 'change', null],
    ['/srv/manifests/.github/workflows/ci.yaml', 'change', null],
    ['/srv/manifests/.github', 'addDir', null],
    ['/srv/manifests', 'unlinkDir', null],
    ['/srv/other/web/compose.yaml', 'change', null],
    ['/srv/manifests-old/web/compose.yaml', 'change', null],
    ['/srv/manifests/.git/HEAD', 'change', null],
    ['/srv/manifests/web/.git/index', 'change', null],
    ['/srv/manifests/web/.compose.yaml.swp', 'add', null],
    ['/srv/manifests/web/compose.yaml~', 'add', null],
    ['/srv/manifests/web/.#compose.yaml', 'add', null],
    ['/srv/manifests/web/4913', 'add', null],
  ])('%s (%s) must map to %s', (path, event, expected) => {
    expect(projectKeyOfChange({ path, event }, { root, rootIsProject: false })).toBe(expected);
  });
});

describe('projectKeyOfChange in a root that is a project itself', () => {
  it.each([
    ['/srv/manifests/compose.yaml', 'change', '.'],
    ['/srv/manifests/.env', 'change', '.'],
    ['/srv/manifests/README.md', 'change', '.'],
    ['/srv/manifests/config/nginx.conf', 'add', '.'],
    ['/srv/manifests/.git/refs/heads/main', 'change', null],
    ['/srv/manifests/compose.yaml.swx', 'add', null],
    ['/srv/elsewhere/compose.yaml', 'change', null],
  ])('%s (%s) must map to %s', (path, event, expected) => {
    expect(projectKeyOfChange({ path, event }, { root, rootIsProject: true })).toBe(expected);
  });
});

describe('isIgnoredPath', () => {
  it.each([
    [['.git', 'objects', 'ab'], true],
    [['web', 'compose.yaml.swo'], true],
    [['web', 'compose.yaml'], false],
    [['web', 'git', 'compose.yaml'], false],
    [['web', '4913.yaml'], false],
    [[], false],
  ])('%j must be ignored: %s', (segments, expected) => {
    expect(isIgnoredPath(segments)).toBe(expected);
  });
});

describe('segmentsUnder', () => {
  it('must give the root itself no segments and a path outside it null', () => {
    expect(segmentsUnder('/srv/manifests/', '/srv/manifests')).toEqual([]);
    expect(segmentsUnder('/srv/manifests', '/srv')).toBeNull();
    expect(segmentsUnder('/srv/manifests', '/srv/manifests/web/../api/compose.yaml')).toEqual(['api', 'compose.yaml']);
  });
});
