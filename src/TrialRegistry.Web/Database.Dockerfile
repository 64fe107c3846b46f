# The registry's PostgreSQL for docker compose: the official postgres:15 image (Debian) with the RUM extension from
# the PostgreSQL apt repository the image already uses, so full-text searches are ranked by an index.
FROM postgres:15
RUN apt-get update \
    && apt-get install -y --no-install-recommends "postgresql-${PG_MAJOR}-rum" \
    && rm -rf /var/lib/apt/lists/*
