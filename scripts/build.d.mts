// Types of scripts/build.mjs, for the tests that build into a temporary directory.
import type { BuildResult } from 'esbuild';

export declare const ENTRY_POINTS: string[];
export declare const ABSENT_MODULES: Array<{ importer: RegExp; specifier: string; feature: string; methods?: string[] }>;
export declare const ES_MODULE_BUILDS: Array<{ specifier: string; path: string }>;
export declare function buildDist(options?: { outdir?: string }): Promise<BuildResult<{ metafile: true }>>;
