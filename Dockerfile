# syntax=docker/dockerfile:1
# Build: cgo is needed for the embedded SQLite (mattn/go-sqlite3).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/opsbot .

# Run: a small Debian with CA certificates for Slack's TLS, as a non-root
# user, with the database on a volume.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin opsbot \
 && mkdir -p /data && chown opsbot:opsbot /data
COPY --from=build /out/opsbot /usr/local/bin/opsbot
USER opsbot
WORKDIR /data
VOLUME ["/data"]
ENV OPSBOT_DATABASE_URL=sqlite:/data/opsbot.db \
    OPSBOT_ADDR=:3000
EXPOSE 3000
ENTRYPOINT ["/usr/local/bin/opsbot"]
