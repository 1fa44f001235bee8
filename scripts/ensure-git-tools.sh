#!/usr/bin/env bash
# What `run --git` and its tests need from Debian: git (fetches, `git daemon`, `git http-backend`) and
# openssh (the ssh client for SSH remotes; sshd for the tests' SSH server). Installed only when missing,
# and only as root on Debian; otherwise it says what is missing.
set -euo pipefail

log() { printf 'ensure-git-tools: %s\n' "$*" >&2; }

missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || missing+=(openssh-client)

if [ ${#missing[@]} -eq 0 ]; then
  log "git $(git --version | awk '{print $3}') and openssh present"
  exit 0
fi
if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
  log "missing: ${missing[*]} (install them; run --git and its tests need them)"
  exit 1
fi
log "installing ${missing[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# sshd is started by the tests only, never as a service here: no service starts during the install.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1; fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
