#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on 127.0.0.1.
#
#   scripts/postgres.sh start DIR   installs Debian's postgresql when missing
#                                   (apt-get, as root), creates a cluster in
#                                   DIR, starts it and prints its connection
#                                   string on stdout
#   scripts/postgres.sh stop DIR    stops the server started in DIR by its
#                                   process id and removes DIR
#
# The tests read the connection string the way Backstage's TestDatabases
# (@backstage/backend-test-utils) does, from
# BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING; scripts/test.sh
# exports it. PostgreSQL refuses to run as root: as root the server runs as
# the `postgres` user the Debian package creates.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/freePort.sh"

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
command="$1"
dir="$2"

bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] && [ -x "$found/postgres" ] && echo "$found"
}

# Runs a command as the server's user: postgres when we are root.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin
  if ! bin=$(bindir); then
    if [ "$(id -u)" -ne 0 ]; then
      echo "PostgreSQL is not installed and this is not root: install Debian's postgresql package (apt-get install postgresql)" >&2
      exit 1
    fi
    echo "installing Debian's postgresql package" >&2
    # Only the server binaries: no default cluster left running on :5432.
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/gitops-promotion-tests.conf
    apt_install postgresql
    bin=$(bindir) || {
      echo "apt-get installed postgresql but no server binary is in /usr/lib/postgresql/*/bin" >&2
      exit 1
    }
  fi
  if [ -e "$dir/data/postmaster.pid" ] || [ -e "$dir/server.pid" ]; then
    echo "$dir holds a running server already: stop it first ($0 stop $dir)" >&2
    exit 1
  fi
  mkdir -p "$dir"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
  as_server_user "$bin/initdb" --pgdata="$dir/data" --username=postgres \
    --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  local port
  port=$(free_port)
  # fsync off: the data is thrown away; the socket directory is ours, not /var/run.
  as_server_user "$bin/postgres" -D "$dir/data" -h 127.0.0.1 -p "$port" \
    -k "$dir" -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
    >"$dir/server.log" 2>&1 &
  # As root $! is runuser's: the server's own id is in postmaster.pid.
  local pid=$!
  for _ in $(seq 1 100); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
      head -n 1 "$dir/data/postmaster.pid" >"$dir/server.pid"
      local major
      major=$("$bin/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
      echo "$major postgresql://postgres@127.0.0.1:$port"
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$dir/server.log" >&2
      echo "PostgreSQL exited at startup (log above)" >&2
      exit 1
    fi
    sleep 0.1
  done
  # The server's own id when it got as far as writing it, else runuser's.
  [ -f "$dir/data/postmaster.pid" ] && pid=$(head -n 1 "$dir/data/postmaster.pid")
  kill -INT "$pid" 2>/dev/null || true
  echo "PostgreSQL did not accept connections within 10 s; see $dir/server.log" >&2
  exit 1
}

# Whether $1 is the id of a running postgres process.
is_postgres() {
  [[ "$1" =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null &&
    grep -qa postgres "/proc/$1/cmdline" 2>/dev/null
}

stop() {
  local pid=""
  if [ -f "$dir/server.pid" ]; then
    pid=$(cat "$dir/server.pid")
  elif [ -f "$dir/data/postmaster.pid" ]; then
    # Stopped during start's wait loop, before server.pid was written: the
    # server may run all the same, under the id in PostgreSQL's own pid
    # file (unless that file is stale and the id now someone else's).
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    is_postgres "$pid" || pid=""
  fi
  [ -n "$pid" ] || { rm -rf "$dir"; return; }
  # SIGINT: fast shutdown, open connections are closed.
  if kill -INT "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
