#!/usr/bin/env node
// Merges result files of tpe-vs-random.mjs runs (e.g. Fashion-MNIST seeds 0-4 and 5-9 run separately)
// into one table: per objective, the median over all seeds of TPE's trials / random search's trials
// to random's final best, the seeds on which TPE was faster, the median bests, with a control (a second
// random search in TPE's place); for runs that kept every trial's value also the median best so far per
// 10 trials and the trials to fixed targets; and ASHA's savings.
// Usage: node bench/sweeps/combine.mjs results/a.json results/b.json ... > results/combined.md
// (a seed that is in several files counts once, from the last of them).
import { readFileSync } from 'node:fs';
import { bestSoFarTable, control, fmt, HEADLINE_HEAD, headline, median, quantileTable } from './analyse.mjs';

const byName = new Map();
const asha = [];
for (const file of process.argv.slice(2)) {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  for (const r of j.results) {
    // The same objective run with another budget is another row.
    const key = `${r.name} | ${r.trials}`;
    const into = byName.get(key) ?? { ...r, rows: [] };
    // JSON writes Infinity (TPE never reached the target) as null.
    // A seed run again (a later file, e.g. one that keeps every trial's value) replaces the earlier row.
    const fresh = r.rows.map((x) => ({ ...x, tpeTrials: x.tpeTrials ?? Number.POSITIVE_INFINITY }));
    into.rows = [...into.rows.filter((x) => !fresh.some((y) => y.seed === x.seed)), ...fresh];
    byName.set(key, into);
  }
  asha.push(...(j.asha ?? []));
}
const lines = [...HEADLINE_HEAD];
const views = [];
for (const r of byName.values()) {
  const rows = [...r.rows].sort((a, b) => a.seed - b.seed);
  if (rows.every((x) => x.randomValues && x.tpeValues)) {
    lines.push(headline(r.name, r, rows));
    const c = control(r.name, r, rows);
    if (c) lines.push(c);
    views.push({ name: r.name, r, rows });
    continue;
  }
  // Result files written before the runs kept every trial's value: their per-seed summaries only.
  const ratios = rows.map((x) => x.tpeTrials / x.randomTrials);
  const faster = rows.filter((x) => x.tpeTrials < x.randomTrials).length;
  const better = rows.filter((x) => x.tpeBest < x.randomBest).length;
  lines.push(
    `| ${r.name} | ${r.trials} | ${r.nStartupTrials} | ${rows.length} | ${fmt(median(ratios))} | ${faster} of ${rows.length} seeds | ${better} of ${rows.length} seeds | ${median(rows.map((x) => x.randomBest)).toFixed(4)} / ${median(rows.map((x) => x.tpeBest)).toFixed(4)} |`,
  );
}
for (const table of [bestSoFarTable(views), quantileTable(views)]) if (table.length) lines.push('', ...table);
if (asha.length) {
  lines.push(
    '',
    '| ASHA (minEpochs 1, reductionFactor 2) replayed on the random-search Fashion-MNIST trials | seeds | epochs trained (sum) | without ASHA | saved (per seed) | best run kept |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const space of [...new Set(asha.map((a) => a.space ?? 'narrow'))]) {
    const rows = asha.filter((a) => (a.space ?? 'narrow') === space);
    const saved = rows.map((a) => 1 - a.epochs / a.full);
    const epochs = rows.reduce((s, a) => s + a.epochs, 0);
    const full = rows.reduce((s, a) => s + a.full, 0);
    lines.push(
      `| ${space} space | ${rows.length} | ${epochs} | ${full} | ${(100 * (1 - epochs / full)).toFixed(0)}% (${(100 * Math.min(...saved)).toFixed(0)}–${(100 * Math.max(...saved)).toFixed(0)}%) | ${rows.filter((a) => a.best === a.fullBest).length} of ${rows.length} seeds |`,
    );
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
