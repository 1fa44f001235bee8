#!/usr/bin/env bash
# Install Debian's prometheus package for its promtool, which checks and unit-tests the shipped alert
# rules (deploy/prometheus, test/unit/deploy/prometheus-rules.test.ts). Idempotent: does nothing when
# `promtool` is already on PATH; only installs as root on Debian. Prints the version it finds.
set -euo pipefail

log() { printf 'install-promtool: %s\n' "$*" >&2; }

if ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
    log "promtool is missing and this is not root on Debian: install Prometheus (promtool) yourself"
    exit 1
  fi
  log "installing prometheus (for promtool) from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

if ! command -v promtool >/dev/null 2>&1; then
  log "promtool still missing after install"
  exit 1
fi
promtool --version 2>&1 | head -1
