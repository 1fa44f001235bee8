#!/usr/bin/env bash
# Install the legacy docker-compose (Debian's Compose v1.29, Python) used as the parity baseline by
# test/engine/parity.test.ts. Idempotent: does nothing when `docker-compose` is already on PATH; only
# installs as root on Debian. Prints the version it finds.
set -euo pipefail

log() { printf 'install-legacy-compose: %s\n' "$*" >&2; }

if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
    log "docker-compose is missing and this is not root on Debian: install Compose v1 (docker-compose) yourself"
    exit 1
  fi
  log "installing docker-compose from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq docker-compose >/dev/null
fi

if ! command -v docker-compose >/dev/null 2>&1; then
  log "docker-compose still missing after install"
  exit 1
fi
docker-compose version --short
