import type { ComposeDocument } from './stack-documents.js';
import type { StackDirectory } from './stack-directory.js';

// One tool on one stack, as the measurements see it: write the desired document, converge (the command a
// user runs), and bring everything down. composelet and docker-compose each implement it.

export type ToolName = 'composelet' | 'docker-compose';

export interface ToolDriver {
  tool: ToolName;
  projectName: string;
  directory: StackDirectory;
  /** Writes the document as this tool reads it (docker-compose 1.29 needs some fields left out). */
  write(document: ComposeDocument): void;
  /** Runs the converge command; resolves with how long it took. `dockerHost` routes it through a proxy. */
  converge(options?: { dockerHost?: string }): Promise<number>;
  /** The tool's own teardown, volumes included. */
  down(): Promise<void>;
}
