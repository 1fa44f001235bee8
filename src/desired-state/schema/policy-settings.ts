import { z } from 'zod';
import { isRuleId, RULE_IDS, RULE_LEVELS, type RuleId, type RuleLevel } from '../../policy/rule-ids.js';
import { byShape, closest, composeObject, describeShape } from './building-blocks.js';

// `x-composelet.policy`, at project level and per service (the service's settings win):
//
//   x-composelet:
//     policy:
//       rules: { no-privileged: error, healthcheck-required: off }   # error | warn | off; default warn
//       allow_public_ports: [80, 443]                                # published on every interface, on purpose
//
// A service's rule levels win over the project's one by one; its allow list, when given, replaces the
// project's. An unknown rule id is an error that names the valid ones, with a suggestion for a typo.

const levelSchema = z.enum(RULE_LEVELS, {
  // Like every schema message, names the shape of the value and never the value itself.
  error: (issue) => `must be error, warn or off${typeof issue.input === 'string' ? '' : `, got ${describeShape(issue.input)}`}`,
});

const rulesMap = z.record(z.string(), z.unknown()).transform((value, context) => {
  const rules: Partial<Record<RuleId, RuleLevel>> = {};
  for (const [key, level] of Object.entries(value)) {
    if (!isRuleId(key)) {
      const suggestion = closest(key, [...RULE_IDS]);
      context.addIssue({
        code: 'custom',
        path: [key],
        message: `unknown policy rule "${key}"${suggestion ? `; did you mean "${suggestion}"?` : ''} (rules: ${RULE_IDS.join(', ')})`,
      });
      continue;
    }
    const parsed = levelSchema.safeParse(level);
    if (parsed.success) rules[key] = parsed.data;
    else for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', path: [key], message: issue.message });
  }
  return rules;
});

/** A host port as a number or a numeric string (interpolation yields strings); the output is a number. */
const publicPort = byShape({ number: z.number(), string: z.string() }, 'a port number').transform((value, context) => {
  const port = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number.parseInt(value, 10) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    context.addIssue({ code: 'custom', message: 'expected a port number from 1 to 65535' });
    return z.NEVER;
  }
  return port;
});

export const policySettingsSchema = composeObject({
  rules: byShape({ object: rulesMap }, 'a map of rule ids to levels (error, warn or off)'),
  /** Host ports that may be published on every interface (0.0.0.0, ::) without a `no-public-ports`
   * finding; for a port the engine picks (`ports: ["80"]`), the container port. */
  allow_public_ports: byShape({ array: z.array(publicPort) }, 'a list of port numbers'),
});

export type RawPolicySettings = z.output<typeof policySettingsSchema>;
