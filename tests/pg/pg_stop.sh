#!/usr/bin/env bash
# Stops the cluster tests/pg/pg_start.sh started (named in INFO/cluster) and removes it and
# INFO/url. Safe when nothing runs or nothing was started: a ctest cleanup fixture runs it after
# failed tests too.
set -uo pipefail
info=${1:?usage: pg_stop.sh INFO_FOLDER}
[[ -f $info/cluster ]] || exit 0
dir=$(cat "$info/cluster")
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -n $dir && -f $dir/data/postmaster.pid && -n $bindir ]]; then
  as_owner=()
  [[ $(id -u) == 0 ]] && as_owner=(runuser -u ppko-test --)
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null ||
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
fi
[[ $dir == */ppko-pg.* ]] && rm -rf "$dir"
rm -f "$info/cluster" "$info/url"
