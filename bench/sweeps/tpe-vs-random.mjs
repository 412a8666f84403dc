#!/usr/bin/env node
// TPE against random search (the same seeded space, several seeds each), on Branin, Hartmann-6 and a
// small real sweep (AdamW lr × weight decay, MLP on the embedded Fashion-MNIST subset, 4 epochs), plus
// what ASHA saves in epochs on the real sweep's curves. Reports, per seed, how many trials TPE needs
// to reach random search's final best, as a ratio to the trials random search needed.
// Usage: node bench/sweeps/tpe-vs-random.mjs [--quick]   (run `pnpm -s build` first)
import { mkdirSync, writeFileSync } from 'node:fs';
import { seed as seedAll, useBackend, valueAndGrads } from '@nntk/core';
import { DataLoader, embeddedFashionMnist, Subset } from '@nntk/datasets';
import { crossEntropy, Flatten, MLP, Sequential } from '@nntk/layers';
import { AdamW } from '@nntk/optim';
import { ASHAPruner, TPESampler } from '@nntk/runs';
import * as tf from '@tensorflow/tfjs-core';

const quick = process.argv.includes('--quick');
const here = new URL('.', import.meta.url).pathname;

const branin = ({ x, y }) =>
  (y - (5.1 / (4 * Math.PI ** 2)) * x ** 2 + (5 / Math.PI) * x - 6) ** 2 +
  10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) +
  10;

const H6 = {
  a: [1.0, 1.2, 3.0, 3.2],
  A: [
    [10, 3, 17, 3.5, 1.7, 8],
    [0.05, 10, 17, 0.1, 8, 14],
    [3, 3.5, 1.7, 10, 17, 8],
    [17, 8, 0.05, 10, 0.1, 14],
  ],
  P: [
    [1312, 1696, 5569, 124, 8283, 5886],
    [2329, 4135, 8307, 3736, 1004, 9991],
    [2348, 1451, 3522, 2883, 3047, 6650],
    [4047, 8828, 8732, 5743, 1091, 381],
  ],
};
const hartmann6 = (o) => {
  const x = [o.x1, o.x2, o.x3, o.x4, o.x5, o.x6];
  return -H6.a.reduce(
    (s, a, i) => s + a * Math.exp(-x.reduce((t, xj, j) => t + H6.A[i][j] * (xj - H6.P[i][j] * 1e-4) ** 2, 0)),
    0,
  );
};

// Random search draws from its own stream (seed + 1000), so its trials are not TPE's start-up trials.
async function search(space, trials, seed, tpe, f, nStartupTrials = 10) {
  const sampler = new TPESampler(
    space,
    tpe ? { seed, nStartupTrials } : { seed: seed + 1000, nStartupTrials: Number.MAX_SAFE_INTEGER },
  );
  const history = [];
  for (let i = 0; i < trials; i++) {
    const overrides = sampler.ask(i, history);
    const { value, curve } = await f(overrides);
    history.push({ index: i, overrides, value, status: 'completed', epochs: curve?.length ?? 1, curve });
  }
  return history;
}

const bestSoFar = (h) => {
  let best = Number.POSITIVE_INFINITY;
  return h.map((t) => {
    best = Math.min(best, t.value);
    return best;
  });
};
/** 1-based trial count at which the running best reaches `target` (Infinity if never). */
const reach = (h, target) => {
  const i = bestSoFar(h).findIndex((v) => v <= target);
  return i < 0 ? Number.POSITIVE_INFINITY : i + 1;
};
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function compare(name, space, trials, seeds, f, nStartupTrials = 10) {
  const rows = [];
  for (const seed of seeds) {
    const random = await search(space, trials, seed, false, f);
    const tpe = await search(space, trials, seed, true, f, nStartupTrials);
    const target = Math.min(...random.map((t) => t.value));
    const r = reach(random, target);
    const t = reach(tpe, target);
    rows.push({
      seed,
      randomBest: target,
      tpeBest: Math.min(...tpe.map((x) => x.value)),
      randomTrials: r,
      tpeTrials: t,
      ratio: t / r,
      random,
      tpe,
    });
    process.stderr.write(
      `${name} seed ${seed}: random best ${target.toFixed(4)} at trial ${r}, TPE reaches it at ${t}\n`,
    );
  }
  // A TPE run that never reached the target within the budget counts as an infinite ratio (the median
  // is robust to that while fewer than half the seeds miss).
  const ratios = rows.map((x) => x.ratio);
  return {
    name,
    trials,
    seeds: seeds.length,
    medianRatio: median(ratios),
    nStartupTrials,
    tpeWins: rows.filter((x) => x.tpeTrials < x.randomTrials).length,
    tpeReached: rows.filter((x) => Number.isFinite(x.tpeTrials)).length,
    medianRandomBest: median(rows.map((x) => x.randomBest)),
    medianTpeBest: median(rows.map((x) => x.tpeBest)),
    rows,
  };
}

// The real sweep: one AdamW run per trial, in this process (the bench measures the search, not processes).
await useBackend('wasm');
const train = new Subset(
  await embeddedFashionMnist(),
  Array.from({ length: quick ? 600 : 1200 }, (_, i) => i),
);
const test = await embeddedFashionMnist({ split: 'test' });
const val = new Subset(
  test,
  Array.from({ length: 500 }, (_, i) => i),
);
const EPOCHS = 4;
async function fashion({ lr, weightDecay }) {
  seedAll(0);
  const model = new Sequential(new Flatten(), new MLP({ sizes: [784, 64, 10] }));
  const optimizer = new AdamW(model.parameters(), { lr, weightDecay });
  const loader = new DataLoader(train, { batchSize: 64, shuffle: true, seed: 0 });
  const valLoader = new DataLoader(val, { batchSize: 250 });
  const curve = [];
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for await (const { x, y } of loader) {
      const { value, grads } = valueAndGrads(() => crossEntropy(model.forward(x), y), model.parameters());
      optimizer.step(grads);
      tf.dispose([value, ...grads.values(), x, y]);
    }
    let total = 0;
    for await (const { x, y } of valLoader) {
      const loss = tf.tidy(() => crossEntropy(model.forward(x), y).mul(x.shape[0]));
      total += (await loss.data())[0];
      tf.dispose([loss, x, y]);
    }
    const v = total / val.length;
    curve.push(Number.isFinite(v) ? v : 10);
  }
  model.dispose();
  optimizer.dispose();
  return { value: Math.min(...curve), curve };
}

/** Replays the trials' curves in order through ASHA: epochs trained and the best value still found. */
function ashaReplay(history, pruner) {
  const curves = [];
  let epochs = 0;
  for (const t of history) {
    const mine = { run: String(t.index), values: [], status: 'running' };
    for (const v of t.curve) {
      mine.values.push(v);
      epochs += 1;
      if (mine.values.length < t.curve.length && pruner.shouldPrune(mine, curves, 'min')) {
        mine.status = 'pruned';
        break;
      }
    }
    if (mine.status === 'running') mine.status = 'completed';
    curves.push(mine);
  }
  const done = curves.filter((c) => c.status === 'completed').map((c) => Math.min(...c.values));
  return { epochs, full: history.length * EPOCHS, best: Math.min(...done) };
}

const started = Date.now();
const seeds = Array.from({ length: quick ? 3 : 10 }, (_, i) => i);
const results = [
  await compare(
    'Branin (2-d)',
    { x: { uniform: [-5, 10] }, y: { uniform: [0, 15] } },
    50,
    seeds,
    async (o) => ({ value: branin(o) }),
  ),
  await compare(
    'Hartmann-6',
    Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i + 1}`, { uniform: [0, 1] }])),
    quick ? 60 : 100,
    seeds,
    async (o) => ({ value: hartmann6(o) }),
  ),
];
if (process.argv.includes('--synthetic')) {
  for (const r of results)
    process.stdout.write(
      `${r.name}: median ratio ${r.medianRatio.toFixed(2)}, TPE faster on ${r.tpeWins}/${r.seeds}, best ${r.medianRandomBest.toFixed(4)} / ${r.medianTpeBest.toFixed(4)}\n`,
    );
  process.exit(0);
}
const fashionSeeds = [0, 1, 2];
const space = { lr: { logUniform: [1e-4, 1e-1] }, weightDecay: { logUniform: [1e-5, 1e-1] } };
const real = await compare(
  'Fashion-MNIST AdamW lr × weightDecay',
  space,
  quick ? 12 : 20,
  fashionSeeds,
  fashion,
  5,
);
results.push(real);
const asha = real.rows.map((r) => ({
  seed: r.seed,
  full: r.random.length * EPOCHS,
  fullBest: Math.min(...r.random.map((t) => Math.min(...t.curve))),
  ...ashaReplay(r.random, new ASHAPruner({ minEpochs: 1, reductionFactor: 2 })),
}));

const lines = [
  "| objective | trials | TPE start-up trials | seeds | TPE trials / random trials to random's final best (median) | TPE faster on | median best: random / TPE |",
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.trials} | ${r.nStartupTrials} | ${r.seeds} | ${Number.isFinite(r.medianRatio) ? r.medianRatio.toFixed(2) : '∞'} | ${r.tpeWins} of ${r.seeds} seeds | ${r.medianRandomBest.toFixed(4)} / ${r.medianTpeBest.toFixed(4)} |`,
  ),
  '',
  '| ASHA (minEpochs 1, reductionFactor 2) on the random-search Fashion-MNIST trials | epochs trained | without ASHA | saved | best val_loss with / without |',
  '| --- | --- | --- | --- | --- |',
  ...asha.map(
    (a) =>
      `| seed ${a.seed} | ${a.epochs} | ${a.full} | ${(100 * (1 - a.epochs / a.full)).toFixed(0)}% | ${a.best.toFixed(4)} / ${a.fullBest.toFixed(4)} |`,
  ),
];
const table = lines.join('\n');
process.stdout.write(`${table}\n\n(${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
mkdirSync(`${here}results`, { recursive: true });
const strip = (r) => ({ ...r, rows: r.rows.map(({ random, tpe, ...rest }) => rest) });
writeFileSync(
  `${here}results/latest${quick ? '-quick' : ''}.json`,
  `${JSON.stringify({ results: results.map(strip), asha }, null, 2)}\n`,
);
writeFileSync(`${here}results/latest${quick ? '-quick' : ''}.md`, `${table}\n`);
