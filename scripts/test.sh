#!/usr/bin/env bash
# Every test: set-up (dependencies, engine, images, the legacy docker-compose for parity tests), the type
# check, then the unit tests and the scenarios against the real engine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install-legacy-compose.sh
npm run --silent typecheck
npx vitest run "$@"
