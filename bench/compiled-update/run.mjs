// The compiled-update A/B (see README.md here): runs step.mjs for every configuration, one process each,
// configurations alternating within each round, and prints the median samples per CPU-second per
// configuration and the ratios to eager. Usage: NNTK_WASM_THREADS=1 node run.mjs [rounds]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const rounds = Number(process.argv[2] ?? 3);
const configs = [];
for (const model of ['mlp', 'deepfcnet'])
  for (const fused of ['unfused', 'fused'])
    for (const mode of ['eager', 'backward', 'update']) configs.push([model, mode, fused]);
const runs = [];
for (let round = 0; round < rounds; round++) {
  for (const config of configs) {
    const out = execFileSync('nice', ['-n', '19', 'node', 'step.mjs', ...config], {
      cwd: import.meta.dirname,
      env: { ...process.env, NNTK_WASM_THREADS: process.env.NNTK_WASM_THREADS ?? '1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const line = out
      .trim()
      .split('\n')
      .find((l) => l.startsWith('{"model"'));
    const result = { round, ...JSON.parse(line) };
    runs.push(result);
    console.error(JSON.stringify(result));
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const key = ([model, mode, fused]) => `${model} ${fused} ${mode}`;
const medians = Object.fromEntries(
  configs.map((c) => [
    key(c),
    median(
      runs
        .filter((r) => key([r.model, r.mode, r.fused ? 'fused' : 'unfused']) === key(c))
        .map((r) => r.samplesPerCpuSecond),
    ),
  ]),
);
// Where each configuration's update ran: 'compiled' when every step's update ran inside the replay
// (the fused wasm Adam is a registered kernel, so `fused update` is a real compiled update), else the
// eager fallback's reason.
const updateOf = (c) => {
  const [model, mode, fused] = c;
  if (mode === 'eager') return 'eager';
  const run = runs.find(
    (r) => key([r.model, r.mode, r.fused ? 'fused' : 'unfused']) === key([model, mode, fused]),
  );
  if (!run.stats.eagerUpdateReason) return 'compiled';
  return `eager (${run.stats.eagerUpdateReason})`;
};
if (runs.some((r) => !r.flat)) console.error('warning: a run did not keep tf.memory().numTensors flat');
const rows = [
  '| model | Adam | step | update | samples per CPU-second (median) | vs eager (same Adam) | vs eager unfused |',
  '| --- | --- | --- | --- | --- | --- | --- |',
];
for (const c of configs) {
  const [model, mode, fused] = c;
  const rate = medians[key(c)];
  rows.push(
    `| ${model} | ${fused} | ${mode} | ${updateOf(c)} | ${rate.toFixed(0)} | ${(rate / medians[key([model, 'eager', fused])]).toFixed(2)}x | ${(rate / medians[key([model, 'eager', 'unfused'])]).toFixed(2)}x |`,
  );
}
console.log(rows.join('\n'));
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ runs, medians }, null, 2)}\n`);
