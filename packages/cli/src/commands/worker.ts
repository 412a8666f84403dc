import { NntkError } from '@nntk/core';
import { DEFAULT_QUEUE_NAME, redactUrl, runWorker } from '@nntk/runs';
import { validateConfig } from '../config';
import { CONFIG_SCHEMA_VERSION } from '../config-schema-version';

export const workerHelp = `Usage: nntk worker --queue <redis://host:port> [--concurrency N] [--run-root DIR] [--name QUEUE]

Takes sweep trials from a BullMQ queue on Redis (submitted with 'nntk sweep <config> --queue …') and
trains each with 'nntk train' in its own process. Start it on any number of machines. A trial whose
worker dies is picked up by another one within seconds; with a shared --run-root it resumes from its
checkpoint. Each job is validated with the same schema as 'nntk train' (only nntk's registered
components, no code or module paths) and must come from the same config schema version.

Options:
  --queue URL         redis://[user:password@]host[:port][/db], or rediss://… for TLS (required)
  --concurrency N     trials at once on this machine (default 1)
  --run-root DIR      where trials train: DIR/<sweep id>/<run> (default runs/worker)
  --name QUEUE        queue name (default ${DEFAULT_QUEUE_NAME})

Stop with Ctrl-C: running trials save a checkpoint and go back to the queue. For rediss:// with a
private CA, start workers and the submitter with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.

Examples:
  nntk worker --queue redis://10.0.0.5:6379 --concurrency 2
  nntk worker --queue rediss://nntk:$REDIS_PASSWORD@redis.example.com:6380 --run-root /shared/runs`;

export async function worker(args: { options: Record<string, string> }): Promise<number> {
  const url = args.options.queue;
  if (!url) throw new NntkError('USAGE', 'nntk worker needs --queue redis://host:port');
  const concurrency = args.options.concurrency === undefined ? 1 : Number(args.options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new NntkError(
      'USAGE',
      `--concurrency must be an integer >= 1, got ${JSON.stringify(args.options.concurrency)}`,
    );
  }
  const runRoot = args.options['run-root'] ?? 'runs/worker';
  const name = args.options.name ?? DEFAULT_QUEUE_NAME;
  const controller = new AbortController();
  const stop = () => {
    process.stderr.write('worker: stopping; running trials save a checkpoint and go back to the queue\n');
    controller.abort();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const started = runWorker({
    queue: url,
    name,
    concurrency,
    runRoot,
    schemaVersion: CONFIG_SCHEMA_VERSION,
    validate: (config) => {
      validateConfig(config);
    },
    command: (run) => [
      process.execPath,
      process.argv[1],
      'train',
      run.configPath,
      ...(run.resume ? ['--resume'] : []),
    ],
    signal: controller.signal,
    onTrial: (e) => {
      if (e.phase === 'start') process.stdout.write(`worker: ${e.name} started (sweep ${e.sweepId})\n`);
      else if (e.row) {
        const best = e.row.best === null ? 'n/a' : e.row.best.toFixed(4);
        process.stdout.write(
          `worker: ${e.name} ${e.row.status}, best ${best} after ${e.row.epochs} epoch(s)\n`,
        );
      } else process.stdout.write(`worker: ${e.name}: ${e.error}\n`);
    },
  });
  process.stdout.write(
    `worker: queue ${name} at ${redactUrl(url)}, concurrency ${concurrency}, run root ${runRoot}\n`,
  );
  try {
    await started;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return 0;
}
