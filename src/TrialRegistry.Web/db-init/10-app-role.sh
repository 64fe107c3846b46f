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
-- Full text ranked by an index where the image has RUM (Database.Dockerfile installs postgresql-15-rum).
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum') THEN CREATE EXTENSION IF NOT EXISTS rum; END IF;
END $$;
ALTER SCHEMA public OWNER TO trialregistry_app;
SQL
