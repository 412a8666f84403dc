import { writeFileAtomic } from '@nntk/core/node';
import { DataLoader } from '@nntk/datasets';
import { confusionMatrix } from '@nntk/metrics';
import { runPath } from '@nntk/trainer';
import type { BuiltRun } from './build-run';
import type { RunConfig } from './config';

/**
 * After training: evaluates the test split when the run has one (`data.valSplit`) and writes its
 * metrics to `test-metrics.json`, then writes `confusion-matrix.json` for classification, on the test
 * split when there is one and on the validation set otherwise (`split` says which). Returns the test
 * metrics.
 */
export async function writeHeldOutResults(
  run: BuiltRun,
  config: RunConfig,
): Promise<Record<string, number> | undefined> {
  const test = run.data.test
    ? new DataLoader(run.data.test, { batchSize: config.data.valBatchSize })
    : undefined;
  const metrics = test ? await run.trainer.evaluate(test) : undefined;
  if (metrics) await writeFileAtomic(runPath(config.runDir, 'testMetrics'), JSON.stringify(metrics));
  if (run.data.task !== 'classification') return metrics;
  const dataset = run.data.test ?? run.data.val;
  const predictions = await run.trainer.predict(test ?? run.valLoader);
  const labels = Array.from({ length: dataset.length }, (_, i) => (dataset.get(i) as { y: number }).y);
  const matrix = await confusionMatrix(predictions, labels, predictions.shape[predictions.rank - 1]);
  predictions.dispose();
  await writeFileAtomic(
    runPath(config.runDir, 'confusionMatrix'),
    JSON.stringify({ matrix, classNames: run.data.classNames, split: test ? 'test' : 'validation' }),
  );
  return metrics;
}
