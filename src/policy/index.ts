// Policy checks: the public face of src/policy.

export { evaluateLivePolicy, evaluatePolicy, type DesiredPolicyOptions } from './evaluate.js';
export { countFindings, policyBlocks, type Finding, type FindingLevel } from './finding.js';
export { readLiteralEnvironment, type LiteralEnvironment } from './literal-environment.js';
export { renderFinding, renderFindings, summarizeFindings } from './render.js';
export { RULE_IDS, type RuleId, type RuleLevel } from './rule-ids.js';
export { RULES } from './rules/index.js';
export { effectivePolicy, type EffectivePolicy } from './settings.js';
