#!/usr/bin/env bash
# Make sure a Docker engine answers. Use the one at DOCKER_HOST or the default socket when it answers;
# only when none does, and only as root on Debian, install Debian's docker.io and start dockerd.
set -euo pipefail

log() { printf 'ensure-engine: %s\n' "$*" >&2; }

engine_answers() {
  timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

wait_for_engine() {
  local i
  for i in $(seq 1 60); do
    if engine_answers; then return 0; fi
    sleep 0.5
  done
  return 1
}

if command -v docker >/dev/null 2>&1 && engine_answers; then
  log "engine at ${DOCKER_HOST:-unix:///var/run/docker.sock} answers (server $(docker version --format '{{.Server.Version}}'))"
  exit 0
fi

if [ -n "${DOCKER_HOST:-}" ]; then
  log "DOCKER_HOST=$DOCKER_HOST does not answer; not starting a local engine in its place"
  exit 1
fi

if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
  log "no Docker engine answers and this is not root on Debian: start one and set DOCKER_HOST"
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  log "installing docker.io from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq docker.io >/dev/null
fi

if ! command -v docker >/dev/null 2>&1; then
  log "docker client missing after install"
  exit 1
fi

log "starting dockerd"
setsid dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
if ! wait_for_engine; then
  log "dockerd did not answer within 30 s; last lines of /var/log/dockerd.log:"
  tail -n 20 /var/log/dockerd.log >&2 || true
  exit 1
fi
log "engine up (server $(docker version --format '{{.Server.Version}}'))"
