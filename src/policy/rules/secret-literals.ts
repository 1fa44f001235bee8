import { isSecretLookingKey } from '../../redaction/redact.js';
import type { Rule } from '../rule.js';

// A password written in the compose file ends up in git, in reviews and in backups of the repository.
// Values that come from interpolation (`${DB_PASSWORD}`, set in .env or the environment) or from an
// env_file are fine. Checked on desired state only: a live container's environment cannot say where
// a value came from.

export const noSecretLiterals: Rule = {
  id: 'no-secret-literals',
  summary: 'secret-looking environment variables must not have literal values in the compose file',
  check(subject) {
    return (subject.literalEnvironmentKeys ?? []).filter(isSecretLookingKey).map((key) => ({
      field: `environment.${key}`,
      message: `sets the secret-looking variable ${key} to a literal value in the compose file`,
      fix: `take the value out of the compose file: write ${key}: \${${key}} and set it in .env or the environment, or use an env_file or a secret`,
    }));
  },
};
