// A queue worker process for the tests: runWorker with the quick-runner script; one JSON line per
// trial event on stdout. argv: <redisUrl> <runRoot> [schemaVersion]
import { runnerArgv, runWorker } from '@nntk/runs';

const [url, runRoot, schemaVersion] = process.argv.slice(2);
const script = new URL('./quick-runner.mjs', import.meta.url).pathname;
const controller = new AbortController();
process.once('SIGTERM', () => controller.abort());
await runWorker({
  queue: url,
  runRoot,
  schemaVersion: Number(schemaVersion ?? 1),
  command: (run) => runnerArgv(run, { script }),
  validate: (config) => {
    if (typeof config.epochs !== 'number') throw new Error('config.epochs: expected a number');
  },
  signal: controller.signal,
  onTrial: (e) =>
    process.stdout.write(
      `${JSON.stringify({ phase: e.phase, name: e.name, status: e.row?.status, error: e.error })}\n`,
    ),
});
