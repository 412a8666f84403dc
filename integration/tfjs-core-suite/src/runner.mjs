// One jasmine run of the bundle on one backend (SUITE_BACKEND), plain or with nntk (SUITE_NNTK=1).
// Writes { specs: { fullName: 'passed' | 'failed' }, failures: { fullName: firstMessage } } to argv[3].
import { writeFileSync } from 'node:fs';
import Jasmine from 'jasmine';

const [bundle, out] = process.argv.slice(2);
const runner = new Jasmine();
runner.exitOnCompletion = false;
runner.clearReporters();
const specs = {};
const failures = {};
runner.addReporter({
  specDone(result) {
    if (result.status !== 'passed' && result.status !== 'failed') return;
    specs[result.fullName] = result.status;
    if (result.status === 'failed')
      failures[result.fullName] = result.failedExpectations[0]?.message?.slice(0, 300);
  },
  suiteDone(result) {
    // A failing beforeAll/afterAll fails the suite, not a spec; it is recorded under the suite's name.
    for (const e of result.failedExpectations ?? [])
      failures[`[suite] ${result.fullName}`] = e.message.slice(0, 300);
  },
});
const done = await runner.execute([bundle]);
writeFileSync(out, JSON.stringify({ overall: done.overallStatus, specs, failures }));
console.log(
  `${Object.values(specs).filter((s) => s === 'passed').length} passed, ${Object.keys(failures).length} failed`,
);
