#!/usr/bin/env bash
# One command on a fresh machine: set up, then serve Dailies on its embedded defaults
# (SQLite catalog, ./data/lake as the content lake, http://127.0.0.1:8080).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
bash scripts/setup.sh
# The project's Node (installed by setup.sh) first, also when this script is not run through npm.
export PATH="$ROOT/node_modules/.bin:$PATH"
exec bin/dailies.js serve
