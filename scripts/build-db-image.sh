#!/usr/bin/env bash
# Build real PostgreSQL 15 and Redis 7 images without a registry, for the backup scenarios and examples:
# one Debian bookworm rootfs made by mmdebstrap (postgresql-15 and redis-server from Debian), imported
# once as composelet/postgres:15 and committed again, sharing its layer, as composelet/redis:7. Each image
# is built only when missing (pass --force to rebuild); the rootfs takes about 40 s and 490 MB.
#
# composelet/postgres:15  runs as root only to prepare $PGDATA (default /var/lib/postgresql/data): an
#   empty data directory is initialized (superuser $POSTGRES_USER, default postgres; database
#   $POSTGRES_DB when set), then postgres runs as the postgres user. Authentication is `trust` for local
#   and network connections: a test image, not for production.
# composelet/redis:7  runs `redis-server --dir /data` as the redis user, listening on all interfaces.
set -euo pipefail

log() { printf 'build-db-image: %s\n' "$*" >&2; }
POSTGRES_IMAGE=composelet/postgres:15
REDIS_IMAGE=composelet/redis:7
force=0
[ "${1:-}" = "--force" ] && force=1
have_image() { [ "$force" = 0 ] && docker image inspect "$1" >/dev/null 2>&1; }

if have_image "$POSTGRES_IMAGE" && have_image "$REDIS_IMAGE"; then
  log "$POSTGRES_IMAGE and $REDIS_IMAGE present"
  exit 0
fi

if ! command -v mmdebstrap >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then log "mmdebstrap is needed to build $POSTGRES_IMAGE: install it"; exit 1; fi
  log "installing mmdebstrap from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq mmdebstrap >/dev/null
fi

work=$(mktemp -d)
cleanup() {
  docker rm -f "composelet-db-image-$$" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! have_image "$POSTGRES_IMAGE"; then
  cat >"$work/entrypoint" <<'EOF'
#!/bin/sh
# For `postgres`: prepares $PGDATA as root, initializes it when empty, then runs postgres as the postgres
# user. Any other command (redis-server, psql, pg_restore...) runs as it is.
set -e
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 2775 /var/run/postgresql
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    as_postgres initdb -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --auth=trust --encoding=UTF8 --no-instructions
    echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
    echo "host all all all trust" >>"$PGDATA/pg_hba.conf"
    if [ -n "${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != postgres ]; then
      echo "CREATE DATABASE \"$POSTGRES_DB\"" | as_postgres postgres --single -D "$PGDATA" postgres >/dev/null
    fi
  fi
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
fi
exec "$@"
EOF
  log "building the Debian rootfs with postgresql-15 and redis-server (about 40 s)"
  mmdebstrap --quiet --variant=minbase --include=postgresql-15,redis-server \
    --customize-hook='rm -rf "$1/var/lib/postgresql/15" "$1/etc/postgresql/15"' \
    --customize-hook='chroot "$1" install -d -o postgres -g postgres -m 2775 /var/run/postgresql' \
    --customize-hook='chroot "$1" install -d -o postgres -g postgres -m 700 /var/lib/postgresql/data' \
    --customize-hook='chroot "$1" install -d -o redis -g redis -m 750 /data' \
    --customize-hook="upload $work/entrypoint /usr/local/bin/composelet-entrypoint" \
    --customize-hook='chmod 755 "$1/usr/local/bin/composelet-entrypoint"' \
    --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
    bookworm "$work/rootfs.tar"
  docker import \
    -c 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'ENV PGDATA=/var/lib/postgresql/data' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'ENTRYPOINT ["/usr/local/bin/composelet-entrypoint"]' \
    -c 'CMD ["postgres"]' \
    -c 'EXPOSE 5432' \
    "$work/rootfs.tar" "$POSTGRES_IMAGE" >/dev/null
  rm -f "$work/rootfs.tar"
  log "built $POSTGRES_IMAGE"
fi

if ! have_image "$REDIS_IMAGE"; then
  # The same files, another configuration: a commit of an unchanged container shares the layer. (A commit
  # cannot clear the entrypoint; it passes redis-server through untouched.)
  docker create --name "composelet-db-image-$$" "$POSTGRES_IMAGE" >/dev/null
  docker commit \
    -c 'CMD ["redis-server", "--dir", "/data", "--bind", "0.0.0.0", "--protected-mode", "no"]' \
    -c 'USER redis' \
    -c 'WORKDIR /data' \
    -c 'EXPOSE 6379' \
    "composelet-db-image-$$" "$REDIS_IMAGE" >/dev/null
  log "built $REDIS_IMAGE"
fi
