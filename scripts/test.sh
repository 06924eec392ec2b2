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

mkdir -p .test-services/results .test-services/run-errors
rm -f .test-services/results/*.json .test-services/run-errors/*.json
status=0
# Each suite: the usual output, a JSON report of its tests, and what ended it outside any test.
run_suite() {
  local suite=$1 code=0
  shift
  DAILIES_RUN_ERRORS_FILE=.test-services/run-errors/$suite.json npx vitest run "$@" \
    --reporter=default --reporter=json --outputFile.json=.test-services/results/$suite.json \
    --reporter=./scripts/run-errors-reporter.mjs || code=$?
  echo "$code" > .test-services/run-errors/$suite.exit
  [ "$code" = 0 ] || status=$code
}
run_suite server --config server/vitest.config.ts "$@"
if [ $# -eq 0 ] && [ -f e2e/vitest.config.ts ]; then
  # The browser tests drive Debian's Chromium (never a downloaded browser build).
  if ! command -v chromium >/dev/null && [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
  run_suite e2e --config e2e/vitest.config.ts
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
  // Vitest also fails a run for errors outside any test; name them, or the exit code is a riddle.
  for (const f of fs.readdirSync(".test-services/run-errors").filter((n) => n.endsWith(".exit"))) {
    const suite = f.slice(0, -5), code = fs.readFileSync(".test-services/run-errors/" + f, "utf8").trim();
    let run = { reason: "unknown", errors: [] };
    try { run = JSON.parse(fs.readFileSync(`.test-services/run-errors/${suite}.json`, "utf8")); } catch {}
    for (const e of run.errors)
      console.log(`ERROR outside tests in ${suite}${e.during ? " (during " + e.during + ")" : ""}: ${e.name}: ${e.message.slice(0, 300)} | ${e.stack.split("\n").slice(1, 4).join(" | ")}`);
    if (code !== "0") console.log(`vitest ${suite} exited ${code} (run ${run.reason}, ${run.errors.length} error(s) outside tests)`);
  }
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
'
exit $status
