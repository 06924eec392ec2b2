#!/usr/bin/env bash
# Stops what scripts/test-services.sh started. `--purge` also deletes their data.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE="$ROOT/.test-services"
# Service users may not be allowed into the caller's directory.
cd /

log() { echo "[test-services] $*" >&2; }

# The data may sit under /tmp when the clone is out of a service user's reach.
resolve() { if [ -L "$STATE/$1.link" ]; then readlink "$STATE/$1.link"; else echo "$STATE/$1"; fi; }

stop_pid() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$file"
}

pg=$(resolve pg)
if [ -f "$pg/data/postmaster.pid" ]; then
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  log "stopping PostgreSQL"
  runuser -u postgres -- "$bin/pg_ctl" -D "$pg/data" -m fast -w stop >&2 || true
fi

swift=$(resolve swift)
if [ -d "$swift/run" ]; then
  log "stopping Swift"
  for n in proxy object container account memcached; do stop_pid "$swift/run/$n.pid"; done
fi

if [ "${1:-}" = "--purge" ]; then
  log "deleting service data"
  rm -rf "$pg" "$swift" "$STATE"
  rmdir "$(dirname "$pg")" "$(dirname "$swift")" 2>/dev/null || true
fi
