#!/bin/sh
# The streaming replica of docker-compose.yml's scale-out profile: on first start it clones the primary with
# pg_basebackup -R (standby.signal + primary_conninfo) and a replication slot, then runs as a hot standby.
set -e
: "${PGDATA:=/var/lib/postgresql/data}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -p 5432 -U "$POSTGRES_USER" >/dev/null 2>&1; do sleep 1; done
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  # A slot left by an earlier replica volume would make -C fail: drop it first.
  PGPASSWORD="$POSTGRES_PASSWORD" psql -h "$PRIMARY_HOST" -U "$POSTGRES_USER" -d postgres -Atc \
    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'civicgrid_replica' AND NOT active" >/dev/null
  gosu postgres env PGPASSWORD="$POSTGRES_PASSWORD" pg_basebackup -h "$PRIMARY_HOST" -p 5432 -U "$POSTGRES_USER" -D "$PGDATA" \
    -R -C -S civicgrid_replica -X stream -c fast
fi
exec gosu postgres postgres -D "$PGDATA" -c hot_standby=on -c hot_standby_feedback=on \
  -c jit=off -c random_page_cost=1.1 -c parallel_setup_cost=10000
