#!/usr/bin/env bash
# The main job on the example manifests: converge manifests/example on the engine (apply), after all
# set-up. Run it twice: the second run changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node dist/cli/main.js apply manifests/example "$@"
