import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { ComposeDocument, StackDefinition } from './stack-documents.js';

// A project directory for one tool and one stack: compose.yaml plus the stack's extra files (.env, build
// context). It holds nothing else, because `composelet run` watches it: a log file written in it would
// wake the controller on every line.

export interface StackDirectory {
  path: string;
  composeFile: string;
  write(document: ComposeDocument): void;
  remove(): void;
}

export function createStackDirectory(stack: StackDefinition, prefix: string): StackDirectory {
  const parent = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const path = join(parent, stack.label);
  mkdirSync(path);
  for (const [relative, source] of Object.entries(stack.extraFiles)) {
    mkdirSync(dirname(join(path, relative)), { recursive: true });
    copyFileSync(source, join(path, relative));
  }
  const composeFile = join(path, 'compose.yaml');
  return {
    path,
    composeFile,
    write(document) {
      // Strings double-quoted: docker-compose 1.29 reads YAML 1.1, where a bare `no` or `on` is a boolean.
      writeFileSync(composeFile, stringify(document, { aliasDuplicateObjects: false, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }));
    },
    remove() {
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
