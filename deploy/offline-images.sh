#!/usr/bin/env bash
# deploy/offline-images.sh — stand-ins for the four public images that
# deploy/compose.yaml and the Dockerfile start from, built from Debian's
# packages, for a machine that reaches a Debian mirror and the Go module
# proxy but not Docker Hub (a locked-down build host, or this project's CI
# machines). With them, `docker compose up --build` and deploy/smoke.sh
# run without pulling anything.
#
#   debian:bookworm-slim    debootstrap --variant=minbase bookworm
#   golang:1.26-bookworm    that, with gcc and this machine's Go toolchain
#   postgres:15             that, with Debian's postgresql-15 and an
#                           entrypoint that honours POSTGRES_USER,
#                           POSTGRES_PASSWORD and POSTGRES_DB as the
#                           official image does (a UTF8 cluster)
#   prom/prometheus:v3.5.0  that, with Debian's prometheus (2.42: older than
#                           the tag says, enough for the config and rules)
#
# Where Docker Hub is reachable, use the real images and not this script.
# Each image is built only when its tag is missing (FORCE=1 rebuilds).
# CA certificates in /usr/local/share/ca-certificates (a proxy's, say) are
# copied into the Go image, so `go mod download` trusts what this machine
# trusts. Needs root, Docker, debootstrap and Go.
set -euo pipefail
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d "${TMPDIR:-/tmp}/opsbot-images.XXXXXX")
trap 'rm -rf "$work"' EXIT

# missing TAG says whether TAG has to be built.
missing() { [ "${FORCE:-0}" = 1 ] || ! docker image inspect "$1" >/dev/null 2>&1; }
build() { DOCKER_BUILDKIT=0 docker build -q -t "$1" "$2" >/dev/null 2>&1 && echo "built $1"; }

if missing debian:bookworm-slim; then
  debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" ||
    { tail -20 "$work/debootstrap.log"; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | docker import - debian:bookworm-slim >/dev/null
  echo "built debian:bookworm-slim"
fi

if missing golang:1.26-bookworm; then
  mkdir "$work/golang"
  cp -a "$(go env GOROOT)" "$work/golang/go"
  mkdir "$work/golang/ca"
  cp /usr/local/share/ca-certificates/*.crt "$work/golang/ca/" 2>/dev/null || true
  cat >"$work/golang/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev ca-certificates git \
 && rm -rf /var/lib/apt/lists/*
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates
COPY go /usr/local/go
ENV GOPATH=/go PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /go
EOF
  build golang:1.26-bookworm "$work/golang"
fi

if missing postgres:15; then
  mkdir "$work/postgres"
  cat >"$work/postgres/entrypoint.sh" <<'EOF'
#!/bin/bash
# POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB on the first start, as
# the official image does; then postgres, as the postgres user.
set -euo pipefail
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" && chown -R postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  user=${POSTGRES_USER:-postgres}
  pw=$(mktemp)
  echo "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is needed}" >"$pw"
  initdb -D "$PGDATA" -E UTF8 --locale=C.UTF-8 -U "$user" --pwfile="$pw" \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pw"
  echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  db=${POSTGRES_DB:-$user}
  if [ "$db" != postgres ]; then
    postgres --single -D "$PGDATA" postgres <<<"CREATE DATABASE \"$db\" OWNER \"$user\";" >/dev/null
  fi
fi
exec postgres -D "$PGDATA" "$@"
EOF
  chmod +x "$work/postgres/entrypoint.sh"
  cat >"$work/postgres/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN mkdir -p "$PGDATA" /var/run/postgresql && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
EOF
  build postgres:15 "$work/postgres"
fi

if missing prom/prometheus:v3.5.0; then
  mkdir "$work/prometheus"
  cat >"$work/prometheus/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends prometheus wget \
 && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /prometheus /etc/prometheus && chown -R nobody:nogroup /prometheus
USER nobody
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
EOF
  build prom/prometheus:v3.5.0 "$work/prometheus"
fi
