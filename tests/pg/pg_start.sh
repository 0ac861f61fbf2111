#!/usr/bin/env bash
# Starts a private PostgreSQL cluster for the tests: initdb + pg_ctl in a new temporary folder,
# listening only on a Unix socket inside that folder (no TCP port), trust authentication for the
# cluster's superuser "ppko", database "ppko". Writes the database URL to INFO/url and the
# cluster's folder to INFO/cluster, and prints the URL.
# Root cannot run postgres: as root the cluster runs as the system user ppko-test (created when
# missing: no login shell, no home); otherwise as the calling user.
#   tests/pg/pg_start.sh INFO        (stop it with tests/pg/pg_stop.sh INFO)
set -euo pipefail
info=${1:?usage: pg_start.sh INFO_FOLDER}
port=${PPKO_PG_PORT:-55432}   # names the socket file only (.s.PGSQL.<port>); nothing listens on TCP
here=$(dirname "$0")

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z $bindir || ! -x $bindir/initdb ]]; then
  echo "pg_start: PostgreSQL is not installed (Debian package postgresql; bash .ci/setup test)" >&2
  exit 1
fi

as_owner=()
if [[ $(id -u) == 0 ]]; then
  if ! id -u ppko-test >/dev/null 2>&1; then
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin ppko-test
  fi
  as_owner=(runuser -u ppko-test --)
fi

# A cluster left running by an interrupted earlier run is stopped first.
bash "$here/pg_stop.sh" "$info"
mkdir -p "$info"
dir=$(mktemp -d "${TMPDIR:-/tmp}/ppko-pg.XXXXXX")
echo "$dir" >"$info/cluster"
[[ ${#as_owner[@]} -gt 0 ]] && chown ppko-test "$dir"

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U ppko --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
chmod 711 "$dir"   # clients reach the socket inside; the data folder stays private (0700)
# fsync=off: a test cluster need not survive a power loss; the servers' crash tests kill
# clients, not the database.
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c fsync=off -c max_connections=300" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
"${as_owner[@]}" "$bindir/createdb" -h "$dir" -p "$port" -U ppko ppko
url="postgresql://ppko@/ppko?host=$dir&port=$port"
echo "$url" >"$info/url"
echo "$url"
