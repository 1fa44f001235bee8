#!/usr/bin/env bash
# Everything a fresh machine needs before composelet runs: node dependencies, the bundled build, a
# reachable Docker engine, the local images, promtool (the alert-rule tests) and Debian's chromium (the
# status page's browser tests, test/browser). Idempotent; each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing node dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: building dist/ (esbuild bundle; the type check is npm run typecheck)" >&2
npm run --silent build
if ! command -v age >/dev/null || ! command -v age-keygen >/dev/null; then
  # Debian's age encrypts the test fixtures of encrypted env files (.env.age).
  echo "setup: installing age" >&2
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq age >/dev/null
fi
bash scripts/ensure-git-tools.sh
bash scripts/ensure-engine.sh
bash scripts/build-images.sh
bash scripts/install-promtool.sh
bash scripts/ensure-chromium.sh
