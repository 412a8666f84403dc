// Runs a sweep from a JSON file of options (queue or local) and prints one line per finished run.
import { readFileSync } from 'node:fs';
import { runSweep } from '@nntk/runs';

const options = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const script = new URL('./quick-runner.mjs', import.meta.url).pathname;
await runSweep({
  ...options,
  runner: { script },
  onRunEnd: (row) => process.stdout.write(`${JSON.stringify({ run: row.run, status: row.status })}\n`),
});
process.stdout.write('"finished"\n');
