#!/usr/bin/env bash
# One command on a fresh machine (as root): install everything the tests need, start the
# real services they use (PostgreSQL, Swift s3api), and run every test: server, then browser.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

bash scripts/setup.sh
# The project's Node (installed by setup.sh) first, also when this script is not run through npm.
export PATH="$ROOT/node_modules/.bin:$PATH"
echo "[test] Node $(node --version)" >&2
bash scripts/test-services.sh >/dev/null
# shellcheck disable=SC1091
source .test-services/env

mkdir -p .test-services/results
status=0
npx vitest run --config server/vitest.config.ts --reporter=default --reporter=json --outputFile.json=.test-services/results/server.json "$@" || status=$?
if [ $# -eq 0 ] && [ -f e2e/vitest.config.ts ]; then
  # The browser tests drive Debian's Chromium (never a downloaded browser build).
  if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
  npx vitest run --config e2e/vitest.config.ts --reporter=default --reporter=json --outputFile.json=.test-services/results/e2e.json || status=$?
fi

# One closing line a person (and CI) can read: counts over both suites.
node -e '
  const fs = require("node:fs");
  let passed = 0, failed = 0, skipped = 0;
  for (const f of fs.readdirSync(".test-services/results")) {
    const r = JSON.parse(fs.readFileSync(".test-services/results/" + f, "utf8"));
    passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests || 0);
    // The failures again at the end, where a log cut to its tail still shows them.
    for (const file of r.testResults) {
      if (file.status === "failed" && !file.assertionResults.some((t) => t.status === "failed"))
        console.log(`FAILED ${file.name.replace(process.cwd() + "/", "")}: ${(file.message || "").slice(0, 400)}`);
    }
    for (const file of r.testResults) for (const t of file.assertionResults) {
      if (t.status !== "failed") continue;
      const why = (t.failureMessages[0] || "").split("\n").slice(0, 3).join(" | ").slice(0, 400);
      console.log(`FAILED ${file.name.replace(process.cwd() + "/", "")} > ${t.fullName}: ${why}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
'
exit $status
