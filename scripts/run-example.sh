#!/usr/bin/env bash
# The main job on the example manifests: after all set-up, run the controller on manifests/example. It
# converges the platform, then keeps it converged (kill or stop a container and watch it come back; edit
# manifests/example/compose.yaml and watch it apply). Ctrl-C (SIGINT) or SIGTERM stops it cleanly.
# Extra arguments go to `composelet run` (e.g. --metrics-address 127.0.0.1:9465).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node dist/cli/main.js run manifests/example "$@"
