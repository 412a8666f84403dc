import { NntkError } from '@nntk/core';
import { runSweep, type SweepRow } from '@nntk/trainer';
import { z } from 'zod';
import { readConfigFile, validateConfig } from '../config';

export const sweepHelp = `Usage: nntk sweep <config.json|config.yaml>

Runs a grid or random search: the config is a run config (as for 'nntk train') plus a 'sweep' key.
Each configuration and seed trains in its own worker process and run directory under runDir; then
runDir/summary.csv and summary.json rank the runs by the monitored metric. Re-running the same
command skips completed runs and continues interrupted ones from their checkpoints.

The 'sweep' key:
  grid         { "optimizer.lr": [0.001, 0.003], "model.sizes": [[784, 64, 10], [784, 128, 10]] }
  random       { "space": { "optimizer.lr": { "logUniform": [1e-4, 1e-1] },
                            "model.dropout": { "uniform": [0, 0.5] },
                            "data.batchSize": { "choice": [32, 64] } }, "trials": 8 }
  seeds        [1, 2, 3]          (each configuration once per seed)
  concurrency  2                  (worker processes at once; default 1)
  monitor      "val_accuracy"     (default "val_loss"), mode "max" (default "min")

Examples:
  nntk sweep configs/fashion-sweep.json
  nntk sweep sweep.yaml            (after Ctrl-C or a crash: the same command finishes what is left)`;

const distribution = z.union([
  z.object({ choice: z.array(z.unknown()).min(1) }).strict(),
  z.object({ uniform: z.tuple([z.number(), z.number()]) }).strict(),
  z.object({ logUniform: z.tuple([z.number().positive(), z.number().positive()]) }).strict(),
  z.object({ int: z.tuple([z.number().int(), z.number().int()]) }).strict(),
]);

const sweepSchema = z
  .object({
    grid: z.record(z.array(z.unknown()).min(1)).optional(),
    random: z
      .object({
        space: z.record(distribution),
        trials: z.number().int().positive(),
        searchSeed: z.number().int().optional(),
      })
      .strict()
      .optional(),
    seeds: z.array(z.number().int()).min(1).optional(),
    concurrency: z.number().int().positive().optional(),
    monitor: z.string().optional(),
    mode: z.enum(['min', 'max']).optional(),
  })
  .strict()
  .refine((s) => !(s.grid && s.random), { message: "give either 'grid' or 'random', not both" });

function describeRow(row: SweepRow, monitor: string): string {
  const best = row.best === null ? 'n/a' : row.best.toFixed(4);
  return `${row.run}: ${row.status}, best ${monitor} ${best}`;
}

export async function sweep(args: { positional: string[] }): Promise<number> {
  const [file] = args.positional;
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
  process.once('SIGINT', onInterrupt);
  try {
    const result = await runSweep({
      ...parsed.data,
      base: base as Record<string, unknown>,
      dir: config.runDir,
      monitor,
      signal: controller.signal,
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
          `[${info.done}/${info.total}] ${info.skipped ? '(done earlier) ' : ''}${describeRow(row, monitor)}\n`,
        ),
    });
    if (controller.signal.aborted) {
      process.stderr.write(`sweep interrupted; run 'nntk sweep ${file}' again to finish it\n`);
      return 130;
    }
    process.stdout.write(`\nsummary: ${result.csv}\n`);
    for (const [i, row] of result.rows.slice(0, 5).entries())
      process.stdout.write(`  ${i + 1}. ${describeRow(row, monitor)}\n`);
    const failed = result.rows.filter((r) => r.status !== 'completed');
    if (failed.length) {
      process.stderr.write(
        `${failed.length} run(s) failed; see error.log in ${failed.map((r) => r.run).join(', ')}\n`,
      );
      return 1;
    }
    return 0;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
