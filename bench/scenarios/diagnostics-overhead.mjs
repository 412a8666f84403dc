// TrainingDiagnostics overhead on the bench MLP (784-256-128-10, Adam, batch 128, Trainer, 12,800
// Fashion-MNIST images). On a shared machine whole-epoch times drift by tens of
// percent, so epochs are short (10 steps, 1,280 images) and alternate 30 times, and every step is timed (from the first onBatchBegin to the last onBatchEnd, the
// data loader left out, which makes the overhead look larger, not smaller): a baseline Trainer and one
// with TrainingDiagnostics({ everyNSteps: 10 }) alternate epochs. From the median step of each kind:
//   logging cost(N) = (median(logging steps) - median(other steps)) / (N * median(baseline)),
//   other steps     = median(other steps) / median(baseline) - 1 (the hooks' cost when not measuring).
// Run alone:  NNTK_WASM_THREADS=1 NNTK_DATA_DIR=... node bench/scenarios/diagnostics-overhead.mjs [backend=wasm] [rounds=30]
import { seed, useBackend } from '@nntk/core';
import { DataLoader, fashionMnist, Subset } from '@nntk/datasets';
import { crossEntropy, Flatten, MLP, Sequential } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import { Callback, Trainer, TrainingDiagnostics } from '@nntk/trainer';
import * as tf from '@tensorflow/tfjs-core';
import { dataDir, median } from './common.mjs';

const [backend = 'wasm', roundsArg = '30'] = process.argv.slice(2);
const EVERY = 10;
await useBackend(backend);
seed(0);
const full = await fashionMnist({ root: `${dataDir()}/fashion-mnist` });
const data = new Subset(
  full,
  Array.from({ length: 1280 }, (_, i) => i),
);
const loader = new DataLoader(data, { batchSize: 128, shuffle: true, seed: 0 });

function trainerWith(diagnostics, times) {
  let started = 0;
  const start = new (class extends Callback {
    onBatchBegin() {
      started = performance.now();
    }
  })();
  const end = new (class extends Callback {
    onBatchEnd() {
      const logging = diagnostics !== undefined && this.trainer.globalStep % EVERY === 0;
      times[logging ? 'logging' : 'other'].push(performance.now() - started);
    }
  })();
  const model = new Sequential(new Flatten(), new MLP({ sizes: [784, 256, 128, 10] }));
  const callbacks = [start, ...(diagnostics ? [diagnostics] : []), end];
  const trainer = new Trainer({
    model,
    optimizer: new Adam(model.parameters(), { lr: 1e-3 }),
    loss: crossEntropy,
    callbacks,
  });
  let epochs = 0;
  return async () => {
    epochs += 1;
    await trainer.fit(loader, { epochs });
  };
}

const base = { logging: [], other: [] };
const diag = { logging: [], other: [] };
const runBase = trainerWith(undefined, base);
const runDiag = trainerWith(new TrainingDiagnostics({ everyNSteps: EVERY, write: false }), diag);
await runBase();
await runDiag();
for (const t of [base, diag]) for (const k of ['logging', 'other']) t[k].length = 0;
for (let round = 0; round < Number(roundsArg); round++) {
  await runBase();
  await runDiag();
}
const b = median(base.other);
const o = median(diag.other);
const l = median(diag.logging);
const logging = (n) => Number((((l - o) / (n * b)) * 100).toFixed(2));
process.stdout.write(
  `${JSON.stringify({
    backend,
    steps: { baseline: base.other.length, other: diag.other.length, logging: diag.logging.length },
    medianMs: {
      baseline: +b.toFixed(2),
      diagnosticsOtherSteps: +o.toFixed(2),
      diagnosticsLoggingStep: +l.toFixed(2),
    },
    loggingCostPercent: Object.fromEntries(
      [10, 20, 50, 100, 200].map((n) => [`everyNSteps=${n}`, logging(n)]),
    ),
    otherStepsPercent: Number(((o / b - 1) * 100).toFixed(2)),
    numTensors: tf.memory().numTensors,
  })}\n`,
);
