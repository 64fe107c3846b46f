#!/bin/sh
# Run once by the postgres image when it creates the database (docker-entrypoint-initdb.d), as its superuser: with
# REPLICATION_PASSWORD set (docker compose's "replicas" profile), the role streaming replicas connect as, and the
# pg_hba.conf line that lets it connect from the compose network for replication (pg_basebackup, then streaming).
set -eu
if [ -n "${REPLICATION_PASSWORD:-}" ]; then
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator LOGIN REPLICATION PASSWORD :'password';
SQL
  echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
fi
