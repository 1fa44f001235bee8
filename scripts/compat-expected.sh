#!/usr/bin/env bash
# Regenerates test/compat/**/FILE.expected.json: what Compose gives for each compatibility case, from
# the legacy docker-compose 1.29 and from test/compat/v2-references.json (see test/compat/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v docker-compose >/dev/null || { echo "needs the legacy docker-compose (apt-get install docker-compose)" >&2; exit 1; }
exec npx tsx test/compat/generate-expected.ts "$@"
