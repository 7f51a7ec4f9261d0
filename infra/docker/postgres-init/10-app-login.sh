#!/bin/sh
# Runs once, when the postgres container initialises an empty data directory (docker-entrypoint-initdb.d).
# The API and the workers log in as fuusio_api, a member of fuusio_app: the least-privileged role the
# migrations grant to (DML on the tables, only INSERT and SELECT on the audit trail). The owner role
# (POSTGRES_USER) runs the migrations and nothing else.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="${FUUSIO_APP_DB_PASSWORD:?set FUUSIO_APP_DB_PASSWORD}" <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fuusio_app') THEN
    CREATE ROLE fuusio_app NOLOGIN;
  END IF;
END;
$$;
CREATE ROLE fuusio_api LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD :'app_password' IN ROLE fuusio_app;
SQL
