import { join } from 'node:path';
import { NntkError, valueAndGrads } from '@nntk/core';
import { writeFileAtomic } from '@nntk/core/node';
import type { Batch } from '@nntk/datasets';
import { crossEntropy, mseLoss } from '@nntk/layers';
import { renderVegaLite } from '@nntk/runs';
import { lrRangeTest } from '@nntk/schedulers';
import { formatNumber, TaskProgress } from '@nntk/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { buildRun } from '../build-run';
import type { ParsedArgs } from '../command';
import { applyOverrides, readConfigFile, validateConfig } from '../config';
import { numberFlag } from '../parse-args';

export const lrFindHelp = `Usage: nntk lr-find <config> [--start 1e-7] [--end 10] [--iterations 100] [--<key.path> <value> ...]

Runs the learning-rate range test (Smith 2017) with the config's model, data and optimizer: the lr grows
exponentially every batch, the smoothed loss is recorded until it diverges, and the lr where the loss
falls fastest is suggested. Writes lr-find.svg and lr-find.json in the run directory.

Examples (configs/ ships in the @nntk/cli package; packages/cli/configs in the repository):
  nntk lr-find configs/fashion-mlp.json
  nntk lr-find run.yaml --start 1e-5 --end 1 --iterations 60`;

async function* forever(loader: AsyncIterable<Batch>): AsyncGenerator<Batch> {
  for (;;) yield* loader;
}

export async function lrFind(args: ParsedArgs): Promise<number> {
  const startLr = numberFlag(args, 'start', 1e-7);
  const endLr = numberFlag(args, 'end', 10);
  const numIter = numberFlag(args, 'iterations', 100, 'positive integer');
  if (endLr <= startLr) throw new NntkError('USAGE', `--end (${endLr}) must be above --start (${startLr})`);
  if (numIter < 2) throw new NntkError('USAGE', `--iterations must be at least 2, got ${numIter}`);
  const config = validateConfig(applyOverrides(await readConfigFile(args.positional[0]), args.overrides));
  const run = await buildRun({ ...config, scheduler: undefined }, { progress: false });
  const optimizer = run.trainer.optimizer;
  const batches = forever(run.trainLoader);
  const loss = run.data.task === 'classification' ? crossEntropy : mseLoss;
  run.model.train();
  const progress = new TaskProgress({ label: 'lr-find', total: numIter });
  const result = await lrRangeTest({
    startLr,
    endLr,
    numIter,
    step: async (lr) => {
      for (const group of optimizer.paramGroups) group.lr = lr;
      const { value: batch } = await batches.next();
      const { value, grads } = valueAndGrads(
        () => loss(run.model.forward((batch as Batch).x) as tf.Tensor, (batch as Batch).y) as tf.Scalar,
        run.model.parameters(),
      );
      optimizer.step(grads);
      const v = (await value.data())[0];
      tf.dispose([value, ...grads.values(), (batch as Batch).x, (batch as Batch).y]);
      progress.tick(`lr ${formatNumber(lr)}  loss ${formatNumber(v)}`);
      return v;
    },
  });
  progress.finish();
  await batches.return(undefined);
  const svg = await renderVegaLite({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `LR range test (suggested lr ${result.suggestedLr.toExponential(1)})`,
    width: 480,
    height: 280,
    layer: [
      {
        data: { values: result.lrs.map((lr, i) => ({ lr, loss: result.losses[i] })) },
        mark: 'line',
        encoding: {
          x: { field: 'lr', type: 'quantitative', scale: { type: 'log' }, axis: { format: '.0e' } },
          y: { field: 'loss', type: 'quantitative', scale: { zero: false } },
        },
      },
      {
        data: { values: [{ lr: result.suggestedLr }] },
        mark: { type: 'rule', color: 'firebrick' },
        encoding: { x: { field: 'lr', type: 'quantitative' } },
      },
    ],
  });
  await writeFileAtomic(join(config.runDir, 'lr-find.svg'), svg);
  await writeFileAtomic(join(config.runDir, 'lr-find.json'), JSON.stringify(result));
  process.stdout.write(
    `suggested lr: ${result.suggestedLr.toExponential(1)}${result.diverged ? ` (the loss diverged after ${result.lrs.length} steps)` : ''}\nplot: ${join(config.runDir, 'lr-find.svg')}\n`,
  );
  return 0;
}
