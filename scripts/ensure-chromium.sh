#!/usr/bin/env bash
# The browser the status page's tests drive (test/browser, through playwright-core): Debian's chromium
# at /usr/bin/chromium. playwright-core never downloads a browser of its own. Installed only when
# missing, and only as root on Debian; otherwise it says what is missing.
set -euo pipefail

log() { printf 'ensure-chromium: %s\n' "$*" >&2; }

if [ -x /usr/bin/chromium ]; then
  log "$(/usr/bin/chromium --version 2>/dev/null || echo chromium) present"
  exit 0
fi
if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
  log "missing: /usr/bin/chromium (install Debian's chromium; the browser tests in test/browser need it)"
  exit 1
fi
log "installing chromium from Debian"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
log "$(/usr/bin/chromium --version 2>/dev/null || echo chromium) installed"
