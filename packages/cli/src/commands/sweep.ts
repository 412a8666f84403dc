import { NntkError } from '@nntk/core';
import { formatMeanStd, formatSweepLine, redactUrl, runSweep, type SweepRow } from '@nntk/runs';
import { z } from 'zod';
import { readConfigFile, validateConfig } from '../config';
import { CONFIG_SCHEMA_VERSION } from '../config-schema-version';

export const sweepHelp = `Usage: nntk sweep <config.json|config.yaml> [--queue redis://host:port]

Runs a grid, random or TPE search: the config is a run config (as for 'nntk train') plus a 'sweep'
key. Each configuration and seed trains in its own process and run directory under runDir; then
runDir/summary.csv, summary.json (with mean ± std per configuration over seeds) and
sweep-report.html rank the runs by the monitored metric. Re-running the same command skips finished
runs and continues interrupted ones from their checkpoints.

With --queue, the trials go to a BullMQ queue on Redis and 'nntk worker --queue …' processes on any
machines train them; results come back through Redis (no shared disk needed). Killing this command
does not stop the sweep: run it again to reattach.

The 'sweep' key:
  grid         { "optimizer.lr": [0.001, 0.003], "model.sizes": [[784, 64, 10], [784, 128, 10]] }
  random       { "space": { "optimizer.lr": { "logUniform": [1e-4, 1e-1] },
                            "model.dropout": { "uniform": [0, 0.5] },
                            "data.batchSize": { "choice": [32, 64] },
                            "model.width": { "int": [32, 256] } }, "trials": 8 }
  tpe          { "space": { ... as for random ... }, "trials": 30, "nStartupTrials": 10 }
               (as Optuna 5: "multivariate": true, "constantLiar": true; set false to change)
  pruner       { "name": "median", "minEpochs": 2 } or { "name": "asha", "minEpochs": 1, "reductionFactor": 3 }
  seeds        [1, 2, 3]          (each configuration once per seed)
  concurrency  2                  (trials at once; default 1, with --queue all for grid/random, 4 for TPE)
  monitor      "val_accuracy"     (default "val_loss"), mode "max" (default "min")

Examples:
  nntk sweep configs/fashion-sweep.json
  nntk sweep sweep.yaml            (after Ctrl-C or a crash: the same command finishes what is left)
  nntk sweep sweep.yaml --queue redis://10.0.0.5:6379`;

const distribution = z.union([
  z.object({ choice: z.array(z.unknown()).min(1) }).strict(),
  z.object({ uniform: z.tuple([z.number(), z.number()]) }).strict(),
  z.object({ logUniform: z.tuple([z.number().positive(), z.number().positive()]) }).strict(),
  z.object({ int: z.tuple([z.number().int(), z.number().int()]) }).strict(),
]);

const space = z.record(distribution);

const sweepSchema = z
  .object({
    grid: z.record(z.array(z.unknown()).min(1)).optional(),
    random: z
      .object({ space, trials: z.number().int().positive(), searchSeed: z.number().int().optional() })
      .strict()
      .optional(),
    tpe: z
      .object({
        space,
        trials: z.number().int().positive(),
        searchSeed: z.number().int().nonnegative().optional(),
        nStartupTrials: z.number().int().nonnegative().optional(),
        nEiCandidates: z.number().int().positive().optional(),
        gamma: z.number().min(0).max(1).optional(),
        priorWeight: z.number().positive().optional(),
        multivariate: z.boolean().optional(),
        constantLiar: z.boolean().optional(),
      })
      .strict()
      .optional(),
    pruner: z
      .discriminatedUnion('name', [
        z
          .object({
            name: z.literal('median'),
            minEpochs: z.number().int().positive().optional(),
            nStartupTrials: z.number().int().nonnegative().optional(),
          })
          .strict(),
        z
          .object({
            name: z.literal('asha'),
            minEpochs: z.number().int().positive().optional(),
            reductionFactor: z.number().int().min(2).optional(),
          })
          .strict(),
      ])
      .optional(),
    seeds: z.array(z.number().int()).min(1).optional(),
    concurrency: z.number().int().positive().optional(),
    monitor: z.string().optional(),
    mode: z.enum(['min', 'max']).optional(),
  })
  .strict()
  .refine((s) => [s.grid, s.random, s.tpe].filter(Boolean).length <= 1, {
    message: "give one of 'grid', 'random' or 'tpe', not several",
  });

function describeRow(row: SweepRow, monitor: string): string {
  const best = row.best === null ? 'n/a' : row.best.toFixed(4);
  return `${row.run}: ${row.status}, best ${monitor} ${best}`;
}

export async function sweep(args: {
  positional: string[];
  options: Record<string, string>;
}): Promise<number> {
  const [file] = args.positional;
  const queueUrl = args.options.queue;
  const { sweep: spec, ...base } = (await readConfigFile(file)) as Record<string, unknown>;
  const parsed = sweepSchema.safeParse(spec ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `sweep${i.path.map((p) => `.${p}`).join('')}: ${i.message}`);
    throw new NntkError(
      'INVALID_CONFIG',
      `${file}: the sweep settings are not valid:\n  ${lines.join('\n  ')}`,
    );
  }
  const config = validateConfig(base);
  const monitor = parsed.data.monitor ?? 'val_loss';
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  const live = process.stdout.isTTY === true;
  let printedDone = 0;
  process.once('SIGINT', onInterrupt);
  try {
    const result = await runSweep({
      ...parsed.data,
      base: base as Record<string, unknown>,
      dir: config.runDir,
      monitor,
      signal: controller.signal,
      validate: (trialConfig) => {
        validateConfig(trialConfig);
      },
      ...(queueUrl ? { queue: { url: queueUrl, schemaVersion: CONFIG_SCHEMA_VERSION } } : {}),
      runner: {
        command: (run) => [
          process.execPath,
          process.argv[1],
          'train',
          run.configPath,
          ...(run.resume ? ['--resume'] : ['--overwrite']),
        ],
      },
      onRunEnd: (row, info) =>
        process.stdout.write(
          `${live ? '\r\x1b[K' : ''}[${info.done}/${info.total}] ${info.skipped ? '(done earlier) ' : ''}${describeRow(row, monitor)}\n`,
        ),
      onProgress: (progress) => {
        if (live) process.stdout.write(`\r\x1b[K${formatSweepLine(progress)}`);
        else if (progress.done > printedDone) {
          printedDone = progress.done;
          process.stdout.write(`${formatSweepLine(progress)}\n`);
        }
      },
    });
    if (live) process.stdout.write('\r\x1b[K');
    if (controller.signal.aborted) {
      process.stderr.write(
        queueUrl
          ? `sweep interrupted; the trials go on on the workers. Run 'nntk sweep ${file} --queue ${redactUrl(queueUrl)}' again to reattach\n`
          : `sweep interrupted; run 'nntk sweep ${file}' again to finish it\n`,
      );
      return 130;
    }
    process.stdout.write(`\nsummary: ${result.csv}\nreport: ${result.report}\n`);
    for (const [i, row] of result.rows.slice(0, 5).entries())
      process.stdout.write(`  ${i + 1}. ${describeRow(row, monitor)}\n`);
    if (parsed.data.seeds && parsed.data.seeds.length > 1) {
      process.stdout.write(`configurations (mean ± std of best ${monitor} over seeds):\n`);
      for (const [i, c] of result.configurations.slice(0, 5).entries())
        process.stdout.write(`  ${i + 1}. ${JSON.stringify(c.overrides)}: ${formatMeanStd(c)}\n`);
    }
    const failed = result.rows.filter((r) => r.status === 'failed' || r.status === 'interrupted');
    if (failed.length) {
      const where = queueUrl
        ? failed.map((r) => `${r.run}: ${r.error ?? r.status}`).join('\n  ')
        : `see error.log in ${failed.map((r) => r.run).join(', ')}`;
      process.stderr.write(`${failed.length} run(s) failed; ${queueUrl ? `\n  ${where}` : where}\n`);
      return 1;
    }
    return 0;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
