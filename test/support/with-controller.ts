import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  killAllControllers,
  manifestsRoot,
  printLogsIfFailed,
  startControllerProcess,
  waitUntilConverged,
  type ControllerProcess,
  type ControllerProcessOptions,
} from './controller-process.js';
import { removeProjectObjects, testEngine } from './engine.js';

// One `composelet run` that the tests of a file share, each asserting on a project of its own: the
// controller starts once (before the file's first test) over a manifests root holding every project,
// each project converged in parallel; a failed test prints its log; at the end the controller is killed
// and every project's engine objects removed. Register it at the top level of a describe (or the file).

export interface SharedController {
  /** The running controller (only inside tests and hooks: it starts in beforeAll). */
  readonly controller: ControllerProcess;
  /** The manifests root: one directory per project. */
  readonly root: string;
  /** The compose.yaml of one of the projects. */
  composeFile(projectName: string): string;
}

export interface SharedControllerOptions extends Omit<ControllerProcessOptions, 'root'> {
  /** Project name -> the testdata directory (test/engine/testdata/<name>) copied under it. */
  projects: Record<string, string>;
  /** Wait until every project converged before the first test; true unless given. */
  waitForConvergence?: boolean;
}

export function withController(options: SharedControllerOptions): SharedController {
  const { projects, waitForConvergence = true, ...processOptions } = options;
  let controller: ControllerProcess | undefined;
  let root = '';
  beforeAll(async () => {
    root = manifestsRoot(projects);
    controller = await startControllerProcess({ resync: '60s', ...processOptions, root });
    if (waitForConvergence) await Promise.all(Object.keys(projects).map((projectName) => waitUntilConverged(controller!, projectName)));
  });
  afterEach((context) => printLogsIfFailed(context, [controller]));
  afterAll(async () => {
    await killAllControllers();
    const engine = testEngine();
    await Promise.all(Object.keys(projects).map((projectName) => removeProjectObjects(engine, projectName)));
  });
  return {
    get controller() {
      if (!controller) throw new Error('the shared controller starts in beforeAll: use it inside a test or hook');
      return controller;
    },
    get root() {
      return root;
    },
    composeFile: (projectName) => join(root, projectName, 'compose.yaml'),
  };
}
