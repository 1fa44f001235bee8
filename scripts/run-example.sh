#!/usr/bin/env bash
# The main job on the example manifests. For now: validate them and print their projects, services and
# dependency levels.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node dist/cli/main.js validate manifests/example "$@"
