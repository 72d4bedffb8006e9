# kvstore container image. NOT TESTED HERE: these machines have no container engine
# (see docs/deploy.md). Build and run:
#
#   docker build -t kvstore .
#   docker run --rm -p 8080:8080 -p 2112:2112 -v kvstore-data:/data -v kvstore-snapshots:/snapshots kvstore
#
# Configuration is the embedded defaults with the production profile, plus the KVSTORE_*
# variables below; mount a file and pass `--config /etc/kvstore/config.yaml` for more.

# ---- build -------------------------------------------------------------------------------
FROM swift:6.2-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libxml2-dev liblmdb-dev zlib1g-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# SwiftPM needs every target's folder (tests included) to load the package.
# Package.resolved is copied when present (the brackets make the pattern optional).
COPY Package.swift Package.resolve[d] ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product kvstore --static-swift-stdlib \
 && install -D -m 0755 "$(swift build -c release --show-bin-path)/kvstore" /out/kvstore

# ---- run ---------------------------------------------------------------------------------
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends liblmdb0 libxml2 zlib1g ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 kvstore \
 && useradd --system --uid 10001 --gid kvstore --home-dir /data --no-create-home --shell /usr/sbin/nologin kvstore \
 && mkdir -p /data /snapshots \
 && chown kvstore:kvstore /data /snapshots
COPY --from=build /out/kvstore /usr/local/bin/kvstore

# Listening on 0.0.0.0 needs at least one token: set KVSTORE_SECURITY_TOKENS (JSON, with a
# secret_file from a mounted secret), or kvstore refuses to start (protected mode).
ENV KVSTORE_ENVIRONMENT=production \
    KVSTORE_SERVER_HOST=0.0.0.0 \
    KVSTORE_SERVER_PORT=8080 \
    KVSTORE_METRICS_PORT=2112 \
    KVSTORE_STORAGE_PATH=/data \
    KVSTORE_SNAPSHOTS_DIR=/snapshots

USER kvstore:kvstore
WORKDIR /data
VOLUME ["/data", "/snapshots"]
# 8080: the HTTP API (and /api/v1/metrics); 2112: the metrics and health listener.
EXPOSE 8080 2112

# /livez is cheap and runs no dependency checks (a failing dependency must not restart us).
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/livez || exit 1

STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/kvstore"]
CMD []
