#!/usr/bin/env bash
# The scale-out topology on one machine, without Docker (run through ./civicgrid cluster …):
#   PostgreSQL primary (:15432) ── streaming replica (:15433, pg_basebackup -R, replication slot)
#   two app instances (:18081, :18082; sessions in PostgreSQL, reads of dashboards/tiles/exports on the replica)
#   nginx (:18080) in front: both instances upstream, a dead one skipped, tiles and GeoJSON layers cached with revalidation
#
#   ops/cluster.sh start [--fresh]   starts what is not running (--fresh: delete the cluster's data first)
#   ops/cluster.sh stop              stops nginx, the apps, the replica and the primary
#   ops/cluster.sh status            what runs where
#   ops/cluster.sh restart-primary   pg_ctl restart -m fast of the primary (a fault of the load test)
#   ops/cluster.sh kill-app N        kill -9 of app instance N (1 or 2)
#   ops/cluster.sh start-app N       starts app instance N and waits until it is healthy
#   ops/cluster.sh stop-replica | start-replica
#   ops/cluster.sh env               the settings the load test reads (ports, database URL and credentials)
#
# Everything lives in var/cluster (CIVICGRID_CLUSTER_DIR). Run as root, PostgreSQL runs as the 'postgres' account (it
# refuses root; if that account cannot reach the checkout the databases go to /var/lib/civicgrid/) and nginx's workers
# as 'www-data'. Ports: CIVICGRID_CLUSTER_HTTP_PORT (18080; the apps use the next two), CIVICGRID_CLUSTER_PG_PORT
# (15432; the replica the next one). The app jar must be built (./civicgrid cluster does that).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

log() { printf '\033[1m[cluster]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[cluster]\033[0m %s\n' "$*" >&2; exit 1; }

CLUSTER_DIR=${CIVICGRID_CLUSTER_DIR:-$ROOT/var/cluster}
HTTP_PORT=${CIVICGRID_CLUSTER_HTTP_PORT:-18080}
PG_PORT=${CIVICGRID_CLUSTER_PG_PORT:-15432}
REPLICA_PORT=$((PG_PORT + 1))
APP_HEAP=${CIVICGRID_CLUSTER_APP_HEAP:-768m}
DB=civicgrid
DB_USER=civicgrid
SLOT=civicgrid_replica
BUILT_JAR=$ROOT/backend/target/civicgrid.jar

app_port() { echo $((HTTP_PORT + $1)); }
is_root() { [ "$(id -u)" -eq 0 ]; }

# PostgreSQL programs run as the postgres account when we are root, like the embedded cluster (database/ServerAccount).
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }

PG_BIN=$( (pg_config --bindir 2>/dev/null | grep -v '^$') || true)
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
fi
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL server programs not found; run ./civicgrid cluster start (it installs them)."

mkdir -p "$CLUSTER_DIR"
# The database directories must be reachable by the postgres account when we are root.
pg_home() {
  if is_root && ! runuser -u postgres -- test -x "$CLUSTER_DIR"; then
    echo "/var/lib/civicgrid/cluster-$(printf '%s' "$CLUSTER_DIR" | sha256sum | cut -c1-16)"
  else
    echo "$CLUSTER_DIR/pg"
  fi
}
PG_HOME=$(pg_home)
PRIMARY=$PG_HOME/primary
REPLICA=$PG_HOME/replica
CREDENTIALS=$CLUSTER_DIR/db.credentials
# The instances run a copy of the built jar, so that a rebuild never changes the file under a running instance and
# an instance restarted during a fault runs the same code as the other one. Refreshed when no instance runs.
JAR=$CLUSTER_DIR/civicgrid.jar
NGINX_DIR=$CLUSTER_DIR/nginx
PHOTOS=$CLUSTER_DIR/photos

password() { sed -n 's/^password=//p' "$CREDENTIALS"; }

pg_running() { as_pg "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }

psql_primary() { PGPASSWORD=$(password) psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" "$@"; }

init_primary() {
  log "Creating the primary in $PRIMARY"
  mkdir -p "$PG_HOME"
  if is_root; then chown postgres: "$PG_HOME"; fi
  as_pg mkdir -m 700 "$PRIMARY"
  umask 077
  [ -f "$CREDENTIALS" ] || printf 'user=%s\npassword=%s\n' "$DB_USER" "$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" > "$CREDENTIALS"
  umask 022
  local pwfile
  pwfile=$(mktemp)
  password > "$pwfile"
  if is_root; then chown postgres "$pwfile"; fi
  as_pg "$PG_BIN/initdb" -D "$PRIMARY" -U "$DB_USER" --pwfile="$pwfile" -E UTF8 --no-locale \
    --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  # Streaming replication: WAL for a standby, a slot so the primary keeps what the replica has not received yet.
  # (initdb's pg_hba.conf already lets 127.0.0.1 connect for replication with a password.)
  as_pg tee -a "$PRIMARY/postgresql.conf" >/dev/null <<EOF

# --- CivicGrid scale-out (ops/cluster.sh) ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
wal_keep_size = '256MB'
hot_standby = on
hot_standby_feedback = on
# Planner settings for a working set in memory and short reads (README "External PostGIS").
jit = off
random_page_cost = 1.1
parallel_setup_cost = 10000
EOF
}

start_primary() {
  if pg_running "$PRIMARY"; then return 0; fi
  log "Starting the primary on 127.0.0.1:$PG_PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$PRIMARY" -l "$PRIMARY/server.log" -w -t 60 -o "-p $PG_PORT" start >/dev/null
  if [ "$(psql_primary -d postgres -Atc "SELECT count(*) FROM pg_database WHERE datname = '$DB'")" = 0 ]; then
    psql_primary -d postgres -c "CREATE DATABASE $DB"
  fi
}

init_replica() {
  log "Cloning the replica from the primary (pg_basebackup -R, slot $SLOT)"
  psql_primary -d postgres -c "SELECT pg_drop_replication_slot('$SLOT') FROM pg_replication_slots WHERE slot_name = '$SLOT'" >/dev/null
  as_pg env PGPASSWORD="$(password)" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -D "$REPLICA" \
    -R -C -S "$SLOT" -X stream -c fast
}

start_replica() {
  if pg_running "$REPLICA"; then return 0; fi
  log "Starting the replica on 127.0.0.1:$REPLICA_PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$REPLICA" -l "$REPLICA/server.log" -w -t 60 -o "-p $REPLICA_PORT" start >/dev/null
}

stop_pg() {
  if pg_running "$1"; then as_pg "$PG_BIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null; fi
}

app_pid() { cat "$CLUSTER_DIR/app$1.pid" 2>/dev/null || true; }
app_running() { local pid; pid=$(app_pid "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

app_healthy() { curl -fsS -m 2 "http://127.0.0.1:$(app_port "$1")/actuator/health" 2>/dev/null | grep -q '"UP"'; }

start_app() {
  local n=$1 port
  port=$(app_port "$n")
  if app_running "$n"; then return 0; fi
  if ! app_running 1 && ! app_running 2 && [ -f "$BUILT_JAR" ]; then cp "$BUILT_JAR" "$JAR"; fi
  [ -f "$JAR" ] || die "No $BUILT_JAR: build it first (./civicgrid cluster start builds it)."
  mkdir -p "$PHOTOS"
  log "Starting app $n on 127.0.0.1:$port (log: $CLUSTER_DIR/app$n.log)"
  printf '\n==== %s: ops/cluster.sh starts app %s ====\n' "$(date -Is)" "$n" >>"$CLUSTER_DIR/app$n.log"
  # Both instances: the same primary, replica and photo directory; the session store is the primary's spring_session.
  PORT=$port \
  SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$DB?ApplicationName=civicgrid-app$n" \
  SPRING_DATASOURCE_USERNAME=$DB_USER SPRING_DATASOURCE_PASSWORD="$(password)" \
  SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT=${CIVICGRID_CLUSTER_DB_WAIT_MS:-5000} \
  SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE=${CIVICGRID_CLUSTER_POOL:-12} \
  CIVICGRID_DATASOURCE_REPLICA_URL="jdbc:postgresql://127.0.0.1:$REPLICA_PORT/$DB?ApplicationName=civicgrid-app$n-replica" \
  CIVICGRID_DATASOURCE_REPLICA_MAXIMUM_POOL_SIZE=${CIVICGRID_CLUSTER_POOL:-12} \
  CIVICGRID_PHOTOS_DIRECTORY=$PHOTOS \
  SERVER_FORWARD_HEADERS_STRATEGY=native \
  nohup java -Xmx"$APP_HEAP" ${CIVICGRID_CLUSTER_JAVA_OPTS:-} -jar "$JAR" >>"$CLUSTER_DIR/app$n.log" 2>&1 &
  echo $! > "$CLUSTER_DIR/app$n.pid"
  wait_app "$n"
}

wait_app() {
  local n=$1 waited=0
  until app_healthy "$n"; do
    app_running "$n" || die "App $n stopped while starting; see $CLUSTER_DIR/app$n.log"
    [ $waited -ge 600 ] && die "App $n is not healthy after 600 s; see $CLUSTER_DIR/app$n.log"
    sleep 1; waited=$((waited + 1))
  done
  log "App $n is up ($waited s)"
}

stop_app() {
  local n=$1 pid
  pid=$(app_pid "$n")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$CLUSTER_DIR/app$n.pid"
}

kill_app() {
  local pid
  pid=$(app_pid "$1")
  [ -n "$pid" ] || die "App $1 is not running"
  kill -9 "$pid"
  # reap-free wait: the process is gone once kill -0 fails
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$CLUSTER_DIR/app$1.pid"
}

write_nginx_conf() {
  mkdir -p "$NGINX_DIR/cache" "$NGINX_DIR/temp"
  local user_line=""
  if is_root; then
    user_line="user www-data;"
    chown -R www-data: "$NGINX_DIR/cache" "$NGINX_DIR/temp"
  fi
  sed -e "s|@USER_LINE@|$user_line|" -e "s|@NGINX_DIR@|$NGINX_DIR|g" -e "s|@LISTEN@|127.0.0.1:$HTTP_PORT|g" \
      -e "s|@APP1@|127.0.0.1:$(app_port 1)|g" -e "s|@APP2@|127.0.0.1:$(app_port 2)|g" \
      "$ROOT/ops/nginx/civicgrid-cluster.conf.template" > "$NGINX_DIR/nginx.conf"
}

nginx_running() { [ -f "$NGINX_DIR/nginx.pid" ] && kill -0 "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null; }

start_nginx() {
  if nginx_running; then return 0; fi
  command -v nginx >/dev/null || die "nginx is not installed; ./civicgrid cluster start installs it."
  write_nginx_conf
  log "Starting nginx on http://127.0.0.1:$HTTP_PORT"
  nginx -e "$NGINX_DIR/error.log" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf"
}

stop_nginx() {
  if nginx_running; then
    local pid
    pid=$(cat "$NGINX_DIR/nginx.pid")
    kill -QUIT "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
}

status() {
  printf 'primary  127.0.0.1:%s  %s  (%s)\n' "$PG_PORT" "$(pg_running "$PRIMARY" && echo running || echo stopped)" "$PRIMARY"
  printf 'replica  127.0.0.1:%s  %s  (%s)\n' "$REPLICA_PORT" "$(pg_running "$REPLICA" && echo running || echo stopped)" "$REPLICA"
  for n in 1 2; do
    printf 'app %s    127.0.0.1:%s  %s\n' "$n" "$(app_port "$n")" "$(app_running "$n" && { app_healthy "$n" && echo healthy || echo starting; } || echo stopped)"
  done
  printf 'nginx    127.0.0.1:%s  %s\n' "$HTTP_PORT" "$(nginx_running && echo running || echo stopped)"
  if pg_running "$PRIMARY" && [ -f "$CREDENTIALS" ]; then
    psql_primary -d postgres -Atc "SELECT 'replication: ' || application_name || ' ' || state || ', replay lag ' || coalesce(replay_lag::text, '0') FROM pg_stat_replication" || true
  fi
}

cmd=${1:-status}
[ $# -gt 0 ] && shift
case "$cmd" in
  start)
    if [ "${1:-}" = --fresh ]; then
      "$0" stop || true
      log "Deleting the cluster's data ($PG_HOME, $PHOTOS, $CREDENTIALS)"
      rm -rf "$PRIMARY" "$REPLICA" "$PHOTOS" "$CREDENTIALS" "$NGINX_DIR/cache"
    fi
    [ -f "$PRIMARY/PG_VERSION" ] || init_primary
    start_primary
    [ -f "$REPLICA/PG_VERSION" ] || init_replica
    start_replica
    # One instance first: it migrates the schema (Flyway, on the primary) and loads the demo city into an empty database.
    start_app 1
    start_app 2
    start_nginx
    status
    log "Ready: http://127.0.0.1:$HTTP_PORT (demo accounts as in the README; ./civicgrid cluster stop stops everything)"
    ;;
  stop)
    stop_nginx
    stop_app 1
    stop_app 2
    stop_pg "$REPLICA"
    stop_pg "$PRIMARY"
    log "Stopped (data kept in $PG_HOME)"
    ;;
  status) status ;;
  restart-primary)
    as_pg "$PG_BIN/pg_ctl" -D "$PRIMARY" -l "$PRIMARY/server.log" -m fast -w -t 60 -o "-p $PG_PORT" restart >/dev/null
    ;;
  stop-replica) stop_pg "$REPLICA" ;;
  start-replica) start_replica ;;
  kill-app) kill_app "${1:?usage: kill-app N}" ;;
  start-app) start_app "${1:?usage: start-app N}" ;;
  stop-app) stop_app "${1:?usage: stop-app N}" ;;
  env)
    printf 'http=http://127.0.0.1:%s\napp1=http://127.0.0.1:%s\napp2=http://127.0.0.1:%s\n' "$HTTP_PORT" "$(app_port 1)" "$(app_port 2)"
    printf 'db.url=jdbc:postgresql://127.0.0.1:%s/%s\ndb.replica-url=jdbc:postgresql://127.0.0.1:%s/%s\ndb.user=%s\ndb.password=%s\nphotos=%s\n' \
      "$PG_PORT" "$DB" "$REPLICA_PORT" "$DB" "$DB_USER" "$(password)" "$PHOTOS"
    ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
