// The measures of tpe-vs-random.mjs and combine.mjs, over per-seed rows that carry each search's
// objective values in trial order (`randomValues`, `tpeValues`; lower is better).

export const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const bestSoFar = (values) => {
  let best = Number.POSITIVE_INFINITY;
  return values.map((v) => {
    best = Math.min(best, v);
    return best;
  });
};
/** 1-based trial count at which the running best reaches `target` (Infinity if never). */
export const reach = (values, target) => {
  const i = bestSoFar(values).findIndex((v) => v <= target);
  return i < 0 ? Number.POSITIVE_INFINITY : i + 1;
};
export const fmt = (v, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : '∞');

/**
 * The issue's measure, per seed: trials TPE needs until its best so far is at least as good as random
 * search's final best, over the trials random search needed. `against(rows, i)` gives the values that
 * stand in for TPE on seed i (TPE's own, or another seed's random search for the control).
 */
function trialsToRandomsBest(rows, against) {
  return rows.map((row, i) => {
    const target = Math.min(...row.randomValues);
    const r = reach(row.randomValues, target);
    const t = reach(against(rows, i), target);
    return { r, t, ratio: t / r };
  });
}

/** One headline row: the issue's ratio, seeds faster, final best better, the median bests. */
export function headline(name, r, rows) {
  const m = trialsToRandomsBest(rows, (rs, i) => rs[i].tpeValues);
  const randomBest = rows.map((x) => Math.min(...x.randomValues));
  const tpeBest = rows.map((x) => Math.min(...x.tpeValues));
  return `| ${name} | ${r.trials} | ${r.nStartupTrials} | ${rows.length} | ${fmt(median(m.map((x) => x.ratio)))} | ${m.filter((x) => x.t < x.r).length} of ${rows.length} seeds | ${rows.filter((_, i) => tpeBest[i] < randomBest[i]).length} of ${rows.length} seeds | ${median(randomBest).toFixed(4)} / ${median(tpeBest).toFixed(4)} |`;
}
export const HEADLINE_HEAD = [
  "| objective | trials | TPE start-up trials | seeds | TPE trials / random trials to random's final best (median) | TPE faster on | TPE final best better on | median best: random / TPE |",
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
];

/**
 * The same measure with a second random search (the next seed's, cyclically) in TPE's place: what the
 * measure reads when the two searches are equally good (it is not 1.00 / half the seeds: the stand-in
 * misses random's final best on about half the seeds, since either search's best is the lower one
 * equally often).
 */
export function control(name, r, rows) {
  if (rows.length < 2) return null;
  const m = trialsToRandomsBest(rows, (rs, i) => rs[(i + 1) % rs.length].randomValues);
  return `| ${name}: control, a second random search in TPE's place | ${r.trials} | – | ${rows.length} | ${fmt(median(m.map((x) => x.ratio)))} | ${m.filter((x) => x.t < x.r).length} of ${rows.length} seeds | ${rows.filter((_, i) => Math.min(...rows[(i + 1) % rows.length].randomValues) < Math.min(...rows[i].randomValues)).length} of ${rows.length} seeds | – |`;
}

/** Median (over seeds) best so far after k trials, random / TPE, at every `step` trials. */
export function bestSoFarTable(results, step = 10) {
  const out = [];
  for (const { name, r, rows } of results) {
    const ks = [];
    for (let k = step; k <= r.trials; k += step) ks.push(k);
    if (ks.at(-1) !== r.trials) ks.push(r.trials);
    const at = (key, k) => median(rows.map((x) => bestSoFar(x[key])[k - 1]));
    out.push(
      `| ${name} (${rows.length} seeds) | ${ks.map((k) => `${k}: ${at('randomValues', k).toFixed(4)} / ${at('tpeValues', k).toFixed(4)}`).join(' · ')} |`,
    );
  }
  return out.length
    ? ['| objective | median best so far after k trials (k: random / TPE) |', '| --- | --- |', ...out]
    : [];
}

/**
 * Trials to a fixed target: the q-quantile of all random-search values of the objective pooled over the
 * seeds (a value only the best q of random configurations reach), per seed for both searches; the
 * median over seeds (∞ while half the seeds or more miss within the budget) and the seeds reached.
 */
export function quantileTable(results, qs = [0.05, 0.01]) {
  const out = [];
  for (const { name, r, rows } of results) {
    const pool = rows.flatMap((x) => x.randomValues).sort((a, b) => a - b);
    for (const q of qs) {
      const target = pool[Math.max(0, Math.ceil(q * pool.length) - 1)];
      const rr = rows.map((x) => reach(x.randomValues, target));
      const tt = rows.map((x) => reach(x.tpeValues, target));
      out.push(
        `| ${name} (${rows.length} seeds, ${r.trials} trials) | best ${100 * q}% of random configurations (≤ ${target.toFixed(4)}) | ${fmt(median(rr), 1)} / ${fmt(median(tt), 1)} | ${rr.filter(Number.isFinite).length} / ${tt.filter(Number.isFinite).length} of ${rows.length} | ${tt.filter((t, i) => t < rr[i]).length} of ${rows.length} seeds |`,
      );
    }
  }
  return out.length
    ? [
        '| objective | target | median trials to it: random / TPE | seeds that reach it: random / TPE | TPE there first on |',
        '| --- | --- | --- | --- | --- |',
        ...out,
      ]
    : [];
}
