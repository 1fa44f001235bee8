#!/usr/bin/env bash
# Build the composelet:<version> image locally, without a registry (as the database images are built):
#   composelet/node-base:bookworm  Debian bookworm from Debian's packages (mmdebstrap): nodejs, git,
#                                  util-linux (flock), ca-certificates. Built once per engine (about 1-4
#                                  minutes, most of it downloading; 330 MB); --force rebuilds it.
#   composelet:<version>           that base plus the packed package (npm pack): /opt/composelet, with
#                                  `composelet` on PATH. Rebuilt (seconds) whenever the packed package
#                                  differs from the one in the image (label io.composelet.package-sha256).
# --skip-build packs the dist/ already built (scripts/setup.sh has just built it); otherwise dist/ is
# built first. deploy/compose.yaml runs the image as the controller.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'build-image: %s\n' "$*" >&2; }
force=0 skip_build=0
for argument in "$@"; do
  case "$argument" in
    --force) force=1 ;;
    --skip-build) skip_build=1 ;;
    *) log "unknown argument $argument (use --force, --skip-build)"; exit 1 ;;
  esac
done
VERSION=$(node -p "require('./package.json').version")
IMAGE="composelet:$VERSION"
BASE_IMAGE=composelet/node-base:bookworm
BASE_PACKAGES=nodejs,git,util-linux,ca-certificates
have_image() { docker image inspect "$1" >/dev/null 2>&1; }
label_of() { docker image inspect -f "{{index .Config.Labels \"$2\"}}" "$1" 2>/dev/null || true; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Rebuilt when the package list above changes (the image carries it as a label).
if [ "$force" = 1 ] || [ "$(label_of "$BASE_IMAGE" io.composelet.base-packages)" != "$BASE_PACKAGES" ]; then
  if ! command -v mmdebstrap >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then log "mmdebstrap is needed to build $BASE_IMAGE: install it"; exit 1; fi
    log "installing mmdebstrap from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq mmdebstrap >/dev/null
  fi
  log "building the Debian rootfs with nodejs, git and util-linux (1-4 minutes)"
  started=$SECONDS
  if ! mmdebstrap --quiet --variant=minbase --include="$BASE_PACKAGES" \
      --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
      bookworm "$work/rootfs.tar"; then
    # Seen here: the tarball written, then its temporary /proc "busy" at clean-up. A complete tarball is used.
    tar -tf "$work/rootfs.tar" ./usr/bin/node ./usr/bin/flock >/dev/null 2>&1 || { log "mmdebstrap failed"; exit 1; }
    log "mmdebstrap failed at clean-up, after writing a complete rootfs: using it"
  fi
  docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV LANG=C.UTF-8' \
    -c "LABEL io.composelet.base-packages=$BASE_PACKAGES" \
    "$work/rootfs.tar" "$BASE_IMAGE" >/dev/null
  rm -f "$work/rootfs.tar"
  log "built $BASE_IMAGE in $((SECONDS - started)) s"
fi

if [ "$skip_build" = 0 ]; then npm run --silent build; fi
npm pack --ignore-scripts --silent --pack-destination "$work" >/dev/null
tarball="$work/composelet-$VERSION.tgz"
package_sha=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ "$force" = 0 ] && [ "$(label_of "$IMAGE" io.composelet.package-sha256)" = "$package_sha" ]; then
  log "$IMAGE present and up to date"
  exit 0
fi
cat >"$work/Dockerfile" <<DOCKERFILE
FROM $BASE_IMAGE
# A local .tgz is unpacked by ADD (into /opt/package).
ADD composelet-$VERSION.tgz /opt/
RUN mv /opt/package /opt/composelet && ln -s /opt/composelet/dist/cli/main.js /usr/local/bin/composelet \
 && mkdir -p /var/lib/composelet
ENV COMPOSELET_STATE_DIR=/var/lib/composelet COMPOSELET_AUDIT_LOG=/var/lib/composelet/audit.log
LABEL org.opencontainers.image.title=composelet org.opencontainers.image.version=$VERSION io.composelet.package-sha256=$package_sha
EXPOSE 9464
ENTRYPOINT ["composelet"]
CMD ["--help"]
DOCKERFILE
docker build --quiet --tag "$IMAGE" "$work" >/dev/null
log "built $IMAGE"
