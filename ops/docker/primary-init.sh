#!/bin/sh
# docker-entrypoint-initdb.d script of the primary (docker-compose.yml, profile scale-out): lets the replica container
# connect for streaming replication with the same password as the app (scram-sha-256), from the compose network.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
