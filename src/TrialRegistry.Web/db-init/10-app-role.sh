#!/bin/sh
# Run once by the postgres image when it creates the database (docker-entrypoint-initdb.d), as its superuser:
# the role the app works as, which owns the registry's database and schema but is no superuser, and the
# extensions the migrations use (creating them needs a superuser). The same set-up as the local cluster's
# (src/TrialRegistry.Data/LocalDatabase/AppRole.cs).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$APP_DB_PASSWORD" -v database="$POSTGRES_DB" <<'SQL'
CREATE ROLE trialregistry_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';
GRANT pg_read_all_stats TO trialregistry_app;
ALTER DATABASE :"database" OWNER TO trialregistry_app;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;
ALTER SCHEMA public OWNER TO trialregistry_app;
SQL
