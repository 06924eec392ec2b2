#!/usr/bin/env bash
# Installs what Dailies needs to run on this machine: npm packages, and the media tools
# (ffmpeg, mediainfo, bubblewrap) from Debian when missing. Builds the server and the web app.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
log() { echo "[setup] $*" >&2; }

missing=()
# bwrap: the sandbox each media tool runs in (it sees only the file it works on).
for tool in ffmpeg:ffmpeg ffprobe:ffmpeg mediainfo:mediainfo bwrap:bubblewrap; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing ${missing[*]}: install them (sudo apt-get install ${missing[*]}) or run this as root"; exit 1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
fi

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.dailies-lock-hash
hash=$(sha256sum package-lock.json | cut -c1-64)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund >&2
  echo "$hash" > "$stamp"
fi

if [ "${DAILIES_SKIP_BUILD:-}" != 1 ]; then
  log "building server and web app"
  npm run --silent build >&2
fi
