// A vitest reporter that keeps what the JSON report leaves out: errors outside any test
// (an unhandled rejection, a failing global teardown) and why a run ended. Vitest exits 1 on
// them with every test passed, so the closing summary of scripts/test.sh must be able to say so.
import { writeFileSync } from 'node:fs';

export default class RunErrorsReporter {
  onTestRunEnd(_modules, unhandledErrors, reason) {
    const out = process.env.DAILIES_RUN_ERRORS_FILE;
    if (!out) return;
    const errors = [...unhandledErrors].map((e) => ({
      name: e?.name ?? 'Error',
      message: String(e?.message ?? e),
      stack: String(e?.stack ?? '').slice(0, 2000),
      // Vitest names the test file that was running when the error surfaced, when it knows.
      during: e?.VITEST_TEST_PATH ?? e?.testPath ?? undefined,
    }));
    writeFileSync(out, JSON.stringify({ reason, errors }, null, 2));
  }
}
