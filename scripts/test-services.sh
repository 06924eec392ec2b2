#!/usr/bin/env bash
# Starts the real services the tests use: a private PostgreSQL cluster and an S3 endpoint
# (OpenStack Swift + s3api). Idempotent: what already runs is left running.
# Run as root. Installs missing Debian packages. Progress goes to stderr; stdout gets only
# `export` lines, so `eval "$(bash scripts/test-services.sh)"` works; they are also
# written to .test-services/env.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE="$ROOT/.test-services"
# Service users may not be allowed into the caller's directory.
cd /
PG_PORT=${DAILIES_TEST_PG_PORT:-55432}
S3_PORT=${DAILIES_TEST_S3_PORT:-18080}
# Swift's storage servers and its memcached sit right above the proxy so that nothing
# collides with a system memcached or another Swift on the usual ports.
SWIFT_OBJECT_PORT=$((S3_PORT + 1))
SWIFT_CONTAINER_PORT=$((S3_PORT + 2))
SWIFT_ACCOUNT_PORT=$((S3_PORT + 3))
MEMCACHED_PORT=$((S3_PORT + 4))
S3_ACCESS_KEY='test:tester'
S3_SECRET_KEY='testing'

PACKAGES=(postgresql swift swift-proxy swift-account swift-container swift-object memcached
  ffmpeg mediainfo chromium samba smbclient curl
  # xmllint: the bin tests check every FCPXML Dailies writes is well-formed.
  libxml2-utils
  # nginx for scripts/topology.sh: started on its own config file, never as the system service.
  nginx-light
  # xmllint: the MHL tests validate every file Dailies writes against the ASC MHL schemas.
  libxml2-utils)

log() { echo "[test-services] $*" >&2; }
die() { echo "[test-services] error: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts services as other users)."

install_missing_packages() {
  local missing=() pkg
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# A directory a service user can reach. The clone may live where that user cannot enter
# (e.g. under /root); then the data goes to a private folder under /tmp instead.
service_dir() {
  local name=$1 user=$2 dir="$STATE/$1"
  mkdir -p "$dir"
  if ! runuser -u "$user" -- test -x "$dir" 2>/dev/null; then
    rmdir "$dir"
    dir="/tmp/dailies-test-services-$(echo -n "$ROOT" | md5sum | cut -c1-8)/$name"
    mkdir -p "$dir"
    ln -sfn "$dir" "$STATE/$name.link"
  fi
  chown "$user" "$dir"
  echo "$dir"
}

start_postgres() {
  local bin dir data
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  dir=$(service_dir pg postgres)
  data="$dir/data"
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising PostgreSQL in $data"
    runuser -u postgres -- "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi
  if runuser -u postgres -- "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  elif "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; then
    # Another checkout of the project started it; the tests only need a server that answers.
    log "PostgreSQL already answers on 127.0.0.1:$PG_PORT (started elsewhere); using it"
  else
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    # No Unix socket: a deep clone path would overflow its length limit, and TCP is all we use.
    runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off -c max_connections=200" \
      start >&2 || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL did not start"; }
  fi
  for _ in $(seq 1 60); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && return
    sleep 0.5
  done
  die "PostgreSQL does not answer on 127.0.0.1:$PG_PORT"
}

write_swift_config() {
  local dir=$1 etc="$1/etc" user stamp n port
  user=$(id -un)
  mkdir -p "$etc" "$dir/node/d1" "$dir/run" "$dir/log"
  stamp="object=$SWIFT_OBJECT_PORT container=$SWIFT_CONTAINER_PORT account=$SWIFT_ACCOUNT_PORT"
  # Rings record the storage ports, so a port change means new rings.
  if [ "$(cat "$etc/ports" 2>/dev/null)" != "$stamp" ]; then
    rm -f "$etc"/*.builder "$etc"/*.ring.gz
    echo "$stamp" >"$etc/ports"
  fi
  cat >"$etc/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = dailies-test
swift_hash_path_prefix = dailies-test
[storage-policy:0]
name = Policy-0
default = yes
EOF
  for n in object container account; do
    port="SWIFT_${n^^}_PORT"; port=${!port}
    if [ ! -f "$etc/$n.ring.gz" ]; then
      swift-ring-builder "$etc/$n.builder" create 8 1 1 >/dev/null
      swift-ring-builder "$etc/$n.builder" add "r1z1-127.0.0.1:$port/d1" 100 >/dev/null
      swift-ring-builder "$etc/$n.builder" rebalance >/dev/null || true
    fi
    cat >"$etc/$n-server.conf" <<EOF
[DEFAULT]
devices = $dir/node
mount_check = false
disable_fallocate = true
bind_ip = 127.0.0.1
bind_port = $port
workers = 1
user = $user
swift_dir = $etc
log_level = WARNING
[pipeline:main]
pipeline = $n-server
[app:$n-server]
use = egg:swift#$n
[$n-replicator]
[$n-updater]
[$n-auditor]
EOF
  done
  cat >"$etc/proxy-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $S3_PORT
workers = 1
user = $user
swift_dir = $etc
log_level = WARNING
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
allow_account_management = true
account_autocreate = true
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = $S3_SECRET_KEY .admin
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:$MEMCACHED_PORT
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
EOF
}

# A pid file counts only if its process is still the one it names (proxy.pid → swift-proxy-server):
# after a reboot the number may belong to anything, even this script's own PostgreSQL.
running() {
  local pid
  [ -f "$1" ] && pid=$(cat "$1") && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$(basename "$1" .pid)"
}

swift_answers() {
  curl -sf -o /dev/null "http://127.0.0.1:$S3_PORT/healthcheck" &&
    curl -sf -o /dev/null -H "X-Auth-User: $S3_ACCESS_KEY" -H "X-Auth-Key: $S3_SECRET_KEY" \
      "http://127.0.0.1:$S3_PORT/auth/v1.0"
}

start_swift() {
  local dir n
  dir=$(service_dir swift root)
  if ! running "$dir/run/proxy.pid" && swift_answers; then
    log "Swift s3api already answers on 127.0.0.1:$S3_PORT (started elsewhere); using it"
    return
  fi
  write_swift_config "$dir"
  if ! running "$dir/run/memcached.pid"; then
    memcached -u "$(id -un)" -l 127.0.0.1 -p "$MEMCACHED_PORT" -m 64 -d -P "$dir/run/memcached.pid"
  fi
  local started=0
  for n in account container object proxy; do
    running "$dir/run/$n.pid" && continue
    # A new session, so the servers outlive the shell (and job control) that started them.
    setsid nohup "swift-$n-server" "$dir/etc/$n-server.conf" >"$dir/log/$n.out" 2>&1 </dev/null &
    echo $! >"$dir/run/$n.pid"
    started=1
  done
  [ "$started" = 1 ] && log "starting Swift s3api on 127.0.0.1:$S3_PORT" ||
    log "Swift s3api already running on 127.0.0.1:$S3_PORT"
  for _ in $(seq 1 120); do
    swift_answers && return
    sleep 0.5
  done
  tail -n 20 "$dir"/log/*.out >&2
  die "Swift s3api does not answer on 127.0.0.1:$S3_PORT"
}

write_env() {
  mkdir -p "$STATE"
  cat >"$STATE/env" <<EOF
export DAILIES_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/postgres
export DAILIES_TEST_S3_ENDPOINT=http://127.0.0.1:$S3_PORT
export DAILIES_TEST_S3_ACCESS_KEY=$S3_ACCESS_KEY
export DAILIES_TEST_S3_SECRET_KEY=$S3_SECRET_KEY
export DAILIES_TEST_S3_REGION=us-east-1
EOF
  cat "$STATE/env"
  log "ready; environment written to $STATE/env"
}

install_missing_packages
start_postgres
start_swift
write_env
