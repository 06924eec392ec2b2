#!/usr/bin/env bash
# The multi-server topology of docs/deploy.md on this machine's loopback: 2 × `dailies serve`
# (no in-process workers), 2 × `dailies worker`, each with its own data dir as on separate
# machines, one PostgreSQL database, one S3 lake, and Debian's nginx round-robin in front
# (its own config file in the topology's directory; the system nginx service is never touched).
#
#   scripts/topology.sh start [DIR]   starts everything; prints and writes DIR/env (PROXY_URL, …)
#   scripts/topology.sh stop DIR      stops what `start` started (by the pids it wrote)
#
# Needs DATABASE_URL (an empty database) or DAILIES_TEST_DATABASE_URL (a database is made), and
# an S3 lake: DAILIES_LAKE=s3://bucket/prefix with S3_ENDPOINT, AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or the test services' DAILIES_TEST_S3_* (a bucket is made).
# Ports: DAILIES_TOPOLOGY_PORT (the proxy; the servers take the next two), default 18480.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { echo "[topology] $*" >&2; }
die() { echo "[topology] error: $*" >&2; exit 1; }

stop() {
  local dir=$1
  [ -f "$dir/pids" ] || die "no $dir/pids: nothing started there"
  # Servers and workers first (SIGTERM: they finish and give jobs back), nginx last.
  while read -r name pid; do
    [ "$name" = nginx ] && continue
    kill -TERM "$pid" 2>/dev/null || true
  done < "$dir/pids"
  for _ in $(seq 50); do
    alive=0
    while read -r name pid; do
      [ "$name" != nginx ] && kill -0 "$pid" 2>/dev/null && alive=1
    done < "$dir/pids"
    [ $alive = 0 ] && break
    sleep 0.2
  done
  while read -r name pid; do
    [ "$name" = nginx ] && continue
    kill -KILL "$pid" 2>/dev/null || true
  done < "$dir/pids"
  if [ -f "$dir/nginx/nginx.pid" ]; then
    kill -QUIT "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null || true
  fi
  rm -f "$dir/pids"
  log "stopped"
}

wait_for() {
  local url=$1 what=$2
  for _ in $(seq 300); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  die "$what did not answer at $url (logs in $DIR)"
}

start() {
  DIR=${1:-$(mktemp -d /tmp/dailies-topology.XXXXXX)}
  mkdir -p "$DIR"
  command -v nginx >/dev/null || die "nginx is missing: apt-get install nginx-light (scripts/test-services.sh installs it)"
  local proxy_port=${DAILIES_TOPOLOGY_PORT:-18480}
  local serve_ports=($((proxy_port + 1)) $((proxy_port + 2)))

  if [ -z "${DATABASE_URL:-}" ]; then
    [ -n "${DAILIES_TEST_DATABASE_URL:-}" ] || die "set DATABASE_URL or DAILIES_TEST_DATABASE_URL"
    local name="dailies_topology_$$_$RANDOM"
    psql "$DAILIES_TEST_DATABASE_URL" -qc "CREATE DATABASE $name" >/dev/null
    DATABASE_URL="${DAILIES_TEST_DATABASE_URL%/*}/$name"
  fi
  if [ -z "${DAILIES_LAKE:-}" ]; then
    [ -n "${DAILIES_TEST_S3_ENDPOINT:-}" ] || die "set DAILIES_LAKE (s3://…) or the DAILIES_TEST_S3_* variables"
    local bucket="dailies-topology-$$-$RANDOM"
    S3_ENDPOINT=$DAILIES_TEST_S3_ENDPOINT AWS_ACCESS_KEY_ID=$DAILIES_TEST_S3_ACCESS_KEY \
      AWS_SECRET_ACCESS_KEY=$DAILIES_TEST_S3_SECRET_KEY \
      node -e '
        const { S3Client, CreateBucketCommand } = require(process.argv[1]);
        const s3 = new S3Client({ endpoint: process.env.S3_ENDPOINT, region: "us-east-1", forcePathStyle: true });
        s3.send(new CreateBucketCommand({ Bucket: process.argv[2] })).then(() => s3.destroy());
      ' "$ROOT/node_modules/@aws-sdk/client-s3" "$bucket"
    DAILIES_LAKE="s3://$bucket/lake"
    DAILIES_DERIVED="s3://$bucket/derived"
    S3_ENDPOINT=$DAILIES_TEST_S3_ENDPOINT
    AWS_ACCESS_KEY_ID=$DAILIES_TEST_S3_ACCESS_KEY
    AWS_SECRET_ACCESS_KEY=$DAILIES_TEST_S3_SECRET_KEY
    S3_FORCE_PATH_STYLE=true
  fi
  # Derivatives made by a worker are read by the servers: they cannot live in a data dir.
  [ -n "${DAILIES_DERIVED:-}" ] || die "set DAILIES_DERIVED (s3://…) beside DAILIES_LAKE: every process reads the derivatives"
  local secret=${DAILIES_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}
  local password=${DAILIES_ADMIN_PASSWORD:-topology-admin-password}

  # What every process shares, as /etc/dailies/env does in docs/deploy.md.
  cat > "$DIR/shared.env" <<ENV
DATABASE_URL=$DATABASE_URL
DAILIES_SECRET=$secret
DAILIES_LAKE=$DAILIES_LAKE
DAILIES_DERIVED=$DAILIES_DERIVED
S3_ENDPOINT=${S3_ENDPOINT:-}
S3_REGION=${S3_REGION:-us-east-1}
S3_FORCE_PATH_STYLE=${S3_FORCE_PATH_STYLE:-true}
AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-}
AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-}
DAILIES_ADMIN_PASSWORD=$password
DAILIES_TRUST_PROXY=loopback
DAILIES_LOG_LEVEL=${DAILIES_LOG_LEVEL:-warn}
ENV
  chmod 600 "$DIR/shared.env"
  : > "$DIR/pids"

  launch() {
    local name=$1; shift
    mkdir -p "$DIR/$name"
    (
      set -a
      # shellcheck disable=SC1091
      . "$DIR/shared.env"
      set +a
      export DAILIES_DATA_DIR="$DIR/$name" "$@"
      exec node "$ROOT/bin/dailies.js" "${name%%-*}"
    ) > "$DIR/$name.log" 2>&1 &
    echo "$name $!" >> "$DIR/pids"
  }
  # The first server migrates; the others wait on its advisory lock, so all may start at once.
  launch serve-1 DAILIES_PORT="${serve_ports[0]}" DAILIES_IN_PROCESS_WORKERS=false
  launch serve-2 DAILIES_PORT="${serve_ports[1]}" DAILIES_IN_PROCESS_WORKERS=false
  launch worker-1
  launch worker-2

  mkdir -p "$DIR/nginx/tmp"
  cat > "$DIR/nginx/nginx.conf" <<NGINX
# docs/deploy.md's site on loopback, without TLS.
worker_processes 1;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $DIR/nginx/access.log;
  client_body_temp_path $DIR/nginx/tmp/body;
  proxy_temp_path $DIR/nginx/tmp/proxy;
  fastcgi_temp_path $DIR/nginx/tmp/fastcgi;
  uwsgi_temp_path $DIR/nginx/tmp/uwsgi;
  scgi_temp_path $DIR/nginx/tmp/scgi;
  upstream dailies {
    server 127.0.0.1:${serve_ports[0]};
    server 127.0.0.1:${serve_ports[1]};
    keepalive 16;
  }
  server {
    listen 127.0.0.1:$proxy_port;
    client_max_body_size 0;
    proxy_request_buffering off;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_read_timeout 1h;
    proxy_send_timeout 1h;
    # Which server answered, for tests that check the round robin.
    add_header X-Dailies-Upstream \$upstream_addr always;
    location / { proxy_pass http://dailies; }
    location = /api/events {
      proxy_pass http://dailies;
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 24h;
    }
  }
}
NGINX
  # nginx's workers run as nobody when started as root: they must reach their temp directory.
  if [ "$(id -u)" = 0 ]; then
    chmod 711 "$DIR" "$DIR/nginx"
    chown -R nobody "$DIR/nginx/tmp"
  fi
  nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log"
  echo "nginx $(cat "$DIR/nginx/nginx.pid")" >> "$DIR/pids"

  for port in "${serve_ports[@]}"; do wait_for "http://127.0.0.1:$port/healthz" "serve on $port"; done
  wait_for "http://127.0.0.1:$proxy_port/healthz" "nginx"
  cat > "$DIR/env" <<ENV
TOPOLOGY_DIR=$DIR
PROXY_URL=http://127.0.0.1:$proxy_port
SERVE_URLS=http://127.0.0.1:${serve_ports[0]},http://127.0.0.1:${serve_ports[1]}
DATABASE_URL=$DATABASE_URL
DAILIES_LAKE=$DAILIES_LAKE
ADMIN_PASSWORD=$password
ENV
  log "up: proxy http://127.0.0.1:$proxy_port, servers ${serve_ports[*]}, 2 workers; logs and env in $DIR"
  log "stop with: scripts/topology.sh stop $DIR"
  cat "$DIR/env"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) [ -n "${2:-}" ] || die "usage: scripts/topology.sh stop DIR"; stop "$2" ;;
  *) die "usage: scripts/topology.sh start [DIR] | stop DIR" ;;
esac
