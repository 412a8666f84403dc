#!/usr/bin/env node
// TPE (nntk's TPESampler with its defaults, as Optuna 5's: multivariate, 10 random start-up trials)
// against random search (the same seeded space, several seeds each), on Branin, Hartmann-6 and a small
// real sweep (AdamW lr × weight decay, an MLP on a Fashion-MNIST subset, 3 epochs: the real files when
// $NNTK_DATA_DIR or ../shared/data has them, else the embedded subset), plus what ASHA saves in epochs
// on the real sweep's curves. Reports, per seed, how many trials TPE needs to reach random search's
// final best, as a ratio to the trials random search needed.
// The real sweep runs over three spaces: 'narrow' (lr 1e-4…1e-1, weight decay 1e-5…1e-1), 'wide' (both
// 1e-5…1, five decades of lr as people often search it) and 'six' (six keys as a real sweep searches
// them: lr, weight decay, beta1, hidden width, dropout, batch size). Every configuration is trained
// from the same initialisation seed and data order, so its value is a fixed function of it.
// Usage: node bench/sweeps/tpe-vs-random.mjs [--quick] [--synthetic] [--fashion-only]
//        [--fashion=narrow,wide,six] [--fashion-seeds=0-4] [--fashion-trials=N]
// (run `pnpm -s build` first). Partial runs write results/latest-<parts>.json/.md.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seed as seedAll, useBackend, valueAndGrads } from '@nntk/core';
import { DataLoader, embeddedFashionMnist, fashionMnist, Subset } from '@nntk/datasets';
import { crossEntropy, Flatten, MLP, Sequential } from '@nntk/layers';
import { AdamW } from '@nntk/optim';
import { ASHAPruner, TPESampler } from '@nntk/runs';
import * as tf from '@tensorflow/tfjs-core';
import {
  bestSoFarTable,
  control,
  HEADLINE_HEAD,
  headline,
  median,
  quantileTable,
  reach,
} from './analyse.mjs';

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
async function search(space, trials, seed, tpe, f, nStartupTrials = 10, tpeOptions = {}) {
  const sampler = new TPESampler(
    space,
    tpe
      ? { seed, nStartupTrials, ...tpeOptions }
      : { seed: seed + 1000, nStartupTrials: Number.MAX_SAFE_INTEGER },
  );
  const history = [];
  for (let i = 0; i < trials; i++) {
    const overrides = sampler.ask(i, history);
    const { value, curve } = await f(overrides);
    history.push({ index: i, overrides, value, status: 'completed', epochs: curve?.length ?? 1, curve });
  }
  return history;
}

const valuesOf = (h) => h.map((t) => t.value);
const bestConfig = (h) => h.reduce((a, b) => (b.value < a.value ? b : a)).overrides;

async function compare(name, space, trials, seeds, f, nStartupTrials = 10, tpeOptions = {}) {
  const rows = [];
  for (const seed of seeds) {
    const random = await search(space, trials, seed, false, f);
    const tpe = await search(space, trials, seed, true, f, nStartupTrials, tpeOptions);
    const target = Math.min(...random.map((t) => t.value));
    const r = reach(valuesOf(random), target);
    const t = reach(valuesOf(tpe), target);
    rows.push({
      seed,
      randomBest: target,
      tpeBest: Math.min(...tpe.map((x) => x.value)),
      randomTrials: r,
      tpeTrials: t,
      ratio: t / r,
      randomBestConfig: bestConfig(random),
      tpeBestConfig: bestConfig(tpe),
      randomValues: valuesOf(random),
      tpeValues: valuesOf(tpe),
      random,
      tpe,
    });
    process.stderr.write(
      `${name} seed ${seed}: random best ${target.toFixed(4)} at trial ${r}, TPE reaches it at ${t} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
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

const started = Date.now();
// The real sweep: one AdamW run per trial, in this process (the bench measures the search, not processes).
await useBackend('wasm');
const dataRoot = [process.env.NNTK_DATA_DIR, new URL('../../../shared/data', import.meta.url).pathname]
  .filter(Boolean)
  .map((d) => join(d, 'fashion-mnist'))
  .find((d) => existsSync(join(d, 'train-images-idx3-ubyte.gz')));
const source = dataRoot ? 'Fashion-MNIST files' : 'embedded Fashion-MNIST subset';
const N_TRAIN = quick ? 600 : dataRoot ? 2000 : 1200;
const N_VAL = quick ? 500 : dataRoot ? 1000 : 500;
const train = new Subset(
  dataRoot ? await fashionMnist({ root: dataRoot }) : await embeddedFashionMnist(),
  Array.from({ length: N_TRAIN }, (_, i) => i),
);
const test = dataRoot
  ? await fashionMnist({ root: dataRoot, split: 'test' })
  : await embeddedFashionMnist({ split: 'test' });
const val = new Subset(
  test,
  Array.from({ length: N_VAL }, (_, i) => i),
);
const EPOCHS = 3;
// The keys the 2-d spaces leave out keep the defaults (hidden width 64, no dropout, batch 64, beta1 0.9).
// The hidden width is drawn log-uniform and rounded (Optuna's suggest_int(log=True) in effect).
async function fashion({ lr, weightDecay, hidden = 64, dropout = 0, batchSize = 64, beta1 = 0.9 }) {
  seedAll(0);
  const model = new Sequential(new Flatten(), new MLP({ sizes: [784, Math.round(hidden), 10], dropout }));
  const optimizer = new AdamW(model.parameters(), { lr, weightDecay, betas: [beta1, 0.999] });
  const loader = new DataLoader(train, { batchSize, shuffle: true, seed: 0 });
  const valLoader = new DataLoader(val, { batchSize: 250 });
  const curve = [];
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    model.train();
    for await (const { x, y } of loader) {
      const { value, grads } = valueAndGrads(() => crossEntropy(model.forward(x), y), model.parameters());
      optimizer.step(grads);
      tf.dispose([value, ...grads.values(), x, y]);
    }
    model.eval();
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

const seeds = Array.from({ length: quick ? 3 : 10 }, (_, i) => i);
const univariate = { multivariate: false };
const fashionOnly = process.argv.includes('--fashion-only');
const spacesArg = process.argv.find((a) => a.startsWith('--fashion='));
const fashionSpaces = spacesArg ? spacesArg.slice('--fashion='.length).split(',') : ['narrow', 'wide'];
const trialsArg = process.argv.find((a) => a.startsWith('--fashion-trials='));
const results = fashionOnly
  ? []
  : [
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
      await compare(
        'Branin (2-d), univariate TPE',
        { x: { uniform: [-5, 10] }, y: { uniform: [0, 15] } },
        50,
        seeds,
        async (o) => ({ value: branin(o) }),
        10,
        univariate,
      ),
      await compare(
        'Hartmann-6, univariate TPE',
        Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i + 1}`, { uniform: [0, 1] }])),
        quick ? 60 : 100,
        seeds,
        async (o) => ({ value: hartmann6(o) }),
        10,
        univariate,
      ),
    ];
if (process.argv.includes('--synthetic')) {
  for (const r of results)
    process.stdout.write(
      `${r.name}: median ratio ${r.medianRatio.toFixed(2)}, TPE faster on ${r.tpeWins}/${r.seeds}, best ${r.medianRandomBest.toFixed(4)} / ${r.medianTpeBest.toFixed(4)}\n`,
    );
  process.exit(0);
}
const seedsArg = process.argv.find((a) => a.startsWith('--fashion-seeds='));
const [firstSeed, lastSeed] = seedsArg
  ? seedsArg.slice('--fashion-seeds='.length).split('-').map(Number)
  : [0, quick ? 1 : 4];
const fashionSeeds = Array.from({ length: lastSeed - firstSeed + 1 }, (_, i) => firstSeed + i);
const SPACES = {
  narrow: { lr: { logUniform: [1e-4, 1e-1] }, weightDecay: { logUniform: [1e-5, 1e-1] } },
  wide: { lr: { logUniform: [1e-5, 1] }, weightDecay: { logUniform: [1e-5, 1] } },
  six: {
    lr: { logUniform: [1e-5, 1e-1] },
    weightDecay: { logUniform: [1e-5, 1] },
    beta1: { uniform: [0.8, 0.99] },
    hidden: { logUniform: [16, 256] },
    dropout: { uniform: [0, 0.5] },
    batchSize: { choice: [32, 64, 128, 256] },
  },
};
const SPACE_NAMES = {
  narrow: 'AdamW lr × weightDecay, narrow space',
  wide: 'AdamW lr × weightDecay, wide space',
  six: '6-d space (lr, weightDecay, beta1, hidden width, dropout, batch size)',
};
const fashionTrials = (name) =>
  trialsArg ? Number(trialsArg.slice('--fashion-trials='.length)) : quick ? 14 : name === 'six' ? 100 : 30;
const asha = [];
for (const name of fashionSpaces) {
  const real = await compare(
    `Fashion-MNIST ${SPACE_NAMES[name]} (${source}, ${N_TRAIN}/${N_VAL} images, ${EPOCHS} epochs)`,
    SPACES[name],
    fashionTrials(name),
    fashionSeeds,
    fashion,
    quick ? 6 : 10,
  );
  results.push(real);
  for (const r of real.rows)
    asha.push({
      space: name,
      seed: r.seed,
      full: r.random.length * EPOCHS,
      fullBest: Math.min(...r.random.map((t) => Math.min(...t.curve))),
      ...ashaReplay(r.random, new ASHAPruner({ minEpochs: 1, reductionFactor: 2 })),
    });
}

const views = results.map((r) => ({ name: r.name, r, rows: r.rows }));
const lines = [
  ...HEADLINE_HEAD,
  ...views.flatMap((v) => [headline(v.name, v.r, v.rows), control(v.name, v.r, v.rows)].filter(Boolean)),
  '',
  ...bestSoFarTable(views),
  '',
  ...quantileTable(views),
  '',
  '| ASHA (minEpochs 1, reductionFactor 2) on the random-search Fashion-MNIST trials | epochs trained | without ASHA | saved | best val_loss with / without |',
  '| --- | --- | --- | --- | --- |',
  ...asha.map(
    (a) =>
      `| ${a.space} space, seed ${a.seed} | ${a.epochs} | ${a.full} | ${(100 * (1 - a.epochs / a.full)).toFixed(0)}% | ${a.best.toFixed(4)} / ${a.fullBest.toFixed(4)} |`,
  ),
];
const table = lines.join('\n');
process.stdout.write(`${table}\n\n(${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
mkdirSync(`${here}results`, { recursive: true });
const strip = (r) => ({ ...r, rows: r.rows.map(({ random, tpe, ...rest }) => rest) });
const partial =
  fashionOnly || spacesArg || seedsArg
    ? `-${fashionOnly ? '' : 'synthetic-'}fashion-${fashionSpaces.join('-')}${seedsArg ? `-seeds-${firstSeed}-${lastSeed}` : ''}`
    : '';
const suffix = `${quick ? '-quick' : ''}${partial}`;
writeFileSync(
  `${here}results/latest${suffix}.json`,
  `${JSON.stringify({ results: results.map(strip), asha, seconds: (Date.now() - started) / 1000 }, null, 2)}\n`,
);
writeFileSync(`${here}results/latest${suffix}.md`, `${table}\n`);
