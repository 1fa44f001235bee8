import type { DesiredState } from '../desired-state/model.js';
import { evaluatePolicy, policyBlocks, renderFindings, summarizeFindings, type Finding } from '../policy/index.js';
import { write, type CliIo } from './command.js';

// Policy findings on the desired state, as validate, plan and apply print them: a summary line, then one
// line per finding. Errors block apply; warnings are shown and nothing more.

export function policyFindings(state: DesiredState): Finding[] {
  return state.projects.flatMap((project) => evaluatePolicy(project));
}

export function printPolicy(findings: readonly Finding[], io: CliIo, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  if (findings.length === 0) return false;
  const target = stream === 'stdout' ? io.stdout : io.stderr;
  write(target, `${summarizeFindings(findings)}${policyBlocks(findings) ? ' (errors block apply)' : ''}`);
  for (const line of renderFindings(findings)) write(target, `  ${line}`);
  return policyBlocks(findings);
}
