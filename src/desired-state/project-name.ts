// Project names as Compose makes them: lower-case letters, digits, "-" and "_", starting with a letter or
// digit. A name written in the manifest must already be valid; one derived from a directory is normalized.

const VALID_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function isValidProjectName(name: string): boolean {
  return VALID_PROJECT_NAME.test(name);
}

export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}
