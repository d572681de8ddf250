#!/usr/bin/env bash
# A local CodeChatter cluster from Debian's packages, for trying the scale-out path on one machine:
# PostgreSQL and Redis, two web instances (role web) and two runners (role runner) of the same binary.
#   scripts/cluster.sh up      # installs what is missing, builds, starts everything, prints the addresses
#   scripts/cluster.sh down    # stops everything it started (the data stays in the state folder)
#   scripts/cluster.sh status  # what is running
# State (databases, logs, pids) lives in $CODECHATTER_CLUSTER_DIR, default ./.cluster beside this repository.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
state=${CODECHATTER_CLUSTER_DIR:-$repo/.cluster}
pg_port=${CODECHATTER_CLUSTER_PG_PORT:-55432}
redis_port=${CODECHATTER_CLUSTER_REDIS_PORT:-56379}
web_ports=(5081 5082)
runner_ports=(5091 5092)
app="$repo/CodeChatter.Web/bin/Release/net10.0/CodeChatter.Web.dll"
connection="Host=127.0.0.1;Port=$pg_port;Username=codechatter;Database=codechatter"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# PostgreSQL refuses to run as root: as root its server runs as the package's postgres account.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then setpriv --reuid=postgres --regid=postgres --clear-groups -- "$@"; else "$@"; fi
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# The postmaster writes its own pid file; pg_ctl start and stop use it.
postgres_runs() { [ -f "$state/postgres/postmaster.pid" ] && kill -0 "$(head -n 1 "$state/postgres/postmaster.pid")" 2>/dev/null; }

wait_for() { # url seconds
  for _ in $(seq 1 $(( $2 * 5 ))); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$1 did not answer within $2 s; see the logs in $state" >&2
  return 1
}

start_member() { # name port role uid-base
  local name=$1 port=$2 role=$3 uid_base=$4
  if alive "$state/$name.pid"; then echo "$name already runs"; return; fi
  mkdir -p "$state/$name"
  # Development serves the build's static assets; each member has a data folder and a sandbox uid range of its own.
  (cd "$repo/CodeChatter.Web" && exec env ASPNETCORE_ENVIRONMENT=Development DataDirectory="$state/$name" \
      Database__Provider=Postgres ConnectionStrings__Default="$connection" \
      Cluster__Redis="127.0.0.1:$redis_port" Cluster__Role="$role" Cluster__RunnerId="$name" \
      Execution__SandboxUidBase="$uid_base" \
      dotnet "$app" --urls "http://127.0.0.1:$port" >"$state/$name.log" 2>&1) &
  echo $! >"$state/$name.pid"
}

up() {
  scripts/prerequisites.sh cluster
  mkdir -p "$state"
  echo "Building the app (Release)..."
  dotnet build CodeChatter.Web -c Release -nologo -v quiet >"$state/build.log" || { cat "$state/build.log"; exit 1; }

  local bin; bin=$(pg_bin)
  if [ ! -d "$state/postgres" ]; then
    mkdir -p "$state/postgres"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$state/postgres"
    as_postgres "$bin/initdb" -D "$state/postgres" -U codechatter -A trust -E UTF8 --locale=C >"$state/initdb.log"
  fi
  if ! postgres_runs; then
    if [ "$(id -u)" -eq 0 ]; then
      touch "$state/postgres.log"
      chown postgres:postgres "$state" "$state/postgres.log"
    fi
    # pg_ctl waits until the server takes connections, and says so when it cannot (a taken port).
    as_postgres "$bin/pg_ctl" -D "$state/postgres" -l "$state/postgres.log" -w \
      -o "-p $pg_port -k $state -c listen_addresses=127.0.0.1" start >/dev/null \
      || { echo "PostgreSQL did not start (is port $pg_port taken?); see $state/postgres.log" >&2; exit 1; }
    "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U codechatter -d postgres -qtAc "SELECT 1 FROM pg_database WHERE datname = 'codechatter'" | grep -q 1 \
      || "$bin/createdb" -h 127.0.0.1 -p "$pg_port" -U codechatter codechatter
  fi
  if ! alive "$state/redis.pid"; then
    redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$state" --save "" --appendonly no \
      --daemonize yes --pidfile "$state/redis.pid" --logfile "$state/redis.log"
    for _ in $(seq 1 50); do [ -s "$state/redis.pid" ] && break; sleep 0.1; done
    alive "$state/redis.pid" || { echo "Redis did not start (is port $redis_port taken?); see $state/redis.log" >&2; exit 1; }
  fi

  # The first web instance migrates the database before the others start.
  start_member web-1 "${web_ports[0]}" web 62000
  wait_for "http://127.0.0.1:${web_ports[0]}/healthz" 120
  start_member web-2 "${web_ports[1]}" web 63000
  start_member runner-1 "${runner_ports[0]}" runner 64000
  start_member runner-2 "${runner_ports[1]}" runner 65000
  wait_for "http://127.0.0.1:${web_ports[1]}/healthz" 120
  wait_for "http://127.0.0.1:${runner_ports[0]}/healthz" 120
  wait_for "http://127.0.0.1:${runner_ports[1]}/healthz" 120
  echo "CodeChatter cluster is up: http://127.0.0.1:${web_ports[0]} and http://127.0.0.1:${web_ports[1]}"
  echo "  PostgreSQL 127.0.0.1:$pg_port, Redis 127.0.0.1:$redis_port, runners on ${runner_ports[*]}; logs in $state"
}

stop_pid() { # pidfile
  if alive "$1"; then
    local pid; pid=$(cat "$1")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

down() {
  [ -d "$state" ] || { echo "No cluster state in $state"; return; }
  for member in web-1 web-2 runner-1 runner-2; do stop_pid "$state/$member.pid"; done
  stop_pid "$state/redis.pid"
  if postgres_runs; then as_postgres "$(pg_bin)/pg_ctl" -D "$state/postgres" -m fast -w stop >/dev/null; fi
  echo "CodeChatter cluster is down (data kept in $state; remove the folder to start afresh)"
}

status() {
  if postgres_runs; then echo "postgres: running (pid $(head -n 1 "$state/postgres/postmaster.pid"))"; else echo "postgres: stopped"; fi
  for member in redis web-1 web-2 runner-1 runner-2; do
    if alive "$state/$member.pid"; then echo "$member: running (pid $(cat "$state/$member.pid"))"; else echo "$member: stopped"; fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
