// The bench's MLP and CNN on webgpu and on wasm, at batch 128 and 512, each in its own process; writes
// bench/results/gpu-<date>.json and prints a table.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const here = new URL('..', import.meta.url).pathname;
const runs = [];
for (const batch of ['128', '512'])
  for (const backend of ['webgpu', 'wasm']) {
    runs.push({ batch, args: ['scenarios/mlp-nntk.mjs', backend, 'loop', '12800'] });
    runs.push({ batch, args: ['scenarios/cnn-nntk.mjs', backend, '2560'] });
  }
const results = [];
for (const { batch, args } of runs) {
  process.stderr.write(`running BENCH_BATCH=${batch} ${args.join(' ')}…\n`);
  const out = spawnSync(process.execPath, args, {
    cwd: here,
    encoding: 'utf8',
    env: { ...process.env, BENCH_BATCH: batch },
  });
  const line = out.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  results.push(
    line
      ? JSON.parse(line.slice(7))
      : { args, batchSize: Number(batch), error: out.stderr.trim().split('\n').at(-1) },
  );
}
const rows = results.map(
  (r) =>
    `| ${r.scenario ?? r.args[0]} | ${r.backend ?? r.args[1]} | ${r.batchSize} | ${r.samplesPerSecond ? Math.round(r.samplesPerSecond) : r.error} | ${r.adapter ? r.adapter.description || r.adapter.architecture : ''} |`,
);
const table = [
  '| scenario | backend | batch | samples/s | adapter |',
  '| --- | --- | --- | --- | --- |',
  ...rows,
].join('\n');
console.log(table);
mkdirSync(`${here}results`, { recursive: true });
const file = `${here}results/gpu-${new Date().toISOString().slice(0, 10)}.json`;
writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), results, table }, null, 2)}\n`);
console.log(`wrote ${file}`);
