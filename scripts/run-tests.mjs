#!/usr/bin/env node
// Runs every workspace package's vitest suite through turbo, then sums the JSON reports that each
// suite writes (test-results.json) and prints the total as the last line: `N passed, M failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const groups = ['packages', 'examples', 'integration', 'bench'];

function packagesWithTests() {
  const out = [];
  for (const group of groups) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    const candidates = group === 'bench' ? [''] : readdirSync(dir);
    for (const name of candidates) {
      const manifest = join(dir, name, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      if (pkg.scripts?.test) out.push({ name: pkg.name, dir: join(dir, name) });
    }
  }
  return out;
}

const packages = packagesWithTests();
for (const { dir } of packages) rmSync(join(dir, 'test-results.json'), { force: true });

const turbo = spawnSync(
  'pnpm',
  [
    'exec',
    'turbo',
    'run',
    'test',
    '--continue',
    '--concurrency=2',
    '--output-logs=new-only',
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
);

let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const { name, dir } of packages) {
  const file = join(dir, 'test-results.json');
  if (!existsSync(file)) {
    // A suite that crashed before reporting counts as one failure, never as silence.
    rows.push(`${name}: no report (the suite did not run to the end)`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const crashed = report.success === false && report.numFailedTests === 0 ? 1 : 0;
  passed += report.numPassedTests;
  failed += report.numFailedTests + crashed;
  skipped += report.numPendingTests + report.numTodoTests;
  rows.push(
    `${name}: ${report.numPassedTests} passed, ${report.numFailedTests + crashed} failed, ${report.numPendingTests} skipped`,
  );
}
console.log(`\n${rows.join('\n')}`);
if (turbo.status !== 0 && failed === 0) failed = 1;
console.log(
  skipped ? `${passed} passed, ${failed} failed, ${skipped} skipped` : `${passed} passed, ${failed} failed`,
);
process.exit(failed === 0 ? 0 : 1);
