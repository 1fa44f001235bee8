#!/usr/bin/env bash
# Every test: set-up (dependencies, engine, images, the legacy docker-compose for parity tests, composelet's own image), the type
# check, then the unit tests and the scenarios against the real engine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/install-legacy-compose.sh
# composelet:<version> for test/engine/containerized-controller.test.ts: the Debian base once per engine
# (1-4 minutes), then seconds when the package changed.
bash scripts/build-image.sh --skip-build
npm run --silent typecheck
npx vitest run "$@"
