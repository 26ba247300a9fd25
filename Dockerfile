# No "# syntax=" line: it would make every build fetch the Dockerfile
# frontend from Docker Hub, even where the base images come from a mirror.
# Nothing here needs a newer frontend than the engine's own.
#
# Build: cgo is needed for the embedded SQLite (mattn/go-sqlite3).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/opsbot .

# Run: a small Debian with CA certificates for Slack's TLS and a font that
# draws Chinese (WenQuanYi Micro Hei, 5 MB) for chart labels under
# locale: zh, as a non-root user, with the database on a volume.
# (deploy/dockerfile-steps.sh runs these same steps without a container
# engine.)
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin opsbot \
 && mkdir -p /data && chown opsbot:opsbot /data
COPY --from=build /out/opsbot /usr/local/bin/opsbot
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
# OPSBOT_METRICS_ADDR serves /metrics, /healthz and /readyz in every
# mode; HTTP mode also serves them on OPSBOT_ADDR beside Slack's endpoints.
ENV OPSBOT_DATABASE_URL=sqlite:/data/opsbot.db \
    OPSBOT_ADDR=:3000 \
    OPSBOT_METRICS_ADDR=:9090
EXPOSE 3000 9090
# Ready: the database answers and is migrated (see docs/OPERATIONS.md).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/opsbot", "health"]
ENTRYPOINT ["/usr/local/bin/opsbot"]
