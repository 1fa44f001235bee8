#!/usr/bin/env bash
# Build the local images the examples and tests use. No registry is reachable, so every image is made
# here; each is built once per engine and reused (pass --force to rebuild).
set -euo pipefail

log() { printf 'build-images: %s\n' "$*" >&2; }
force=0
[ "${1:-}" = "--force" ] && force=1

have_image() { [ "$force" = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }

ensure_package() { # command package
  if ! command -v "$1" >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then log "$2 is needed to build images: install it"; exit 1; fi
    log "installing $2 from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "$2" >/dev/null
  fi
}

# composelet/busybox: a 2 MB image with sh, httpd, nc, wget, sleep, tar, gzip, sha256sum.
BUSYBOX_IMAGE=composelet/busybox:1
if have_image "$BUSYBOX_IMAGE"; then
  log "$BUSYBOX_IMAGE present"
else
  ensure_package busybox busybox-static
  busybox_bin=$(command -v busybox)
  if ! file -L "$busybox_bin" 2>/dev/null | grep -q 'statically linked' && [ -x /bin/busybox ]; then
    busybox_bin=/bin/busybox
  fi
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/var/www" "$root/data"
  chmod 1777 "$root/tmp"
  cp "$busybox_bin" "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  tar -C "$root" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - "$BUSYBOX_IMAGE" >/dev/null
  rm -rf "$root"; trap - EXIT
  log "built $BUSYBOX_IMAGE"
fi

# Real PostgreSQL 15 and Redis 7 (composelet/postgres:15, composelet/redis:7) for the backup tests.
bash "$(dirname "$0")/build-db-image.sh" "$@"
