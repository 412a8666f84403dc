#!/usr/bin/env node
// nntk's benchmark suite. Each scenario runs in its own process (so tfjs-layers baselines run without
// nntk's kernel fixes), warm-up first, median of timed epochs (runs compared with PyTorch alternate with
// PyTorch's over several rounds, median per side); prints one table with ratios and saves
// the results as JSON in bench/results/. Usage: pnpm bench [--quick]
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { achievedGflops, peakFor, profileReport } from './profile-report.mjs';
import { dataDir } from './scenarios/common.mjs';

const quick = process.argv.includes('--quick');
const here = new URL('.', import.meta.url).pathname;
const mlpSamples = quick ? '2560' : '12800';
const cnnSamples = quick ? '320' : '1280';
const cpuMlpSamples = quick ? '640' : '2560';

// A run's optional last element is extra environment: NNTK_WASM_THREADS=1 measures what threads add.
const oneThread = { NNTK_WASM_THREADS: '1' };
// The runs a ratio to PyTorch is taken from alternate with PyTorch's, `rounds` times, and each reports its
// median: this machine's speed drifts over minutes, and alternating puts both sides under the same drift.
const rounds = quick ? 1 : 3;
const alternate = (...group) => ({ alternate: group });
const runs = [
  alternate(
    ['node', 'scenarios/mlp-nntk.mjs', 'wasm', 'loop', mlpSamples],
    ['python', 'scenarios/torch_bench.py', 'mlp', mlpSamples],
  ),
  ['node', 'scenarios/mlp-nntk.mjs', 'wasm', 'loop', mlpSamples, oneThread],
  ['node', 'scenarios/mlp-nntk.mjs', 'wasm', 'trainer', mlpSamples],
  ['node', 'scenarios/mlp-nntk.mjs', 'wasm', 'compiled', mlpSamples],
  ['node', 'scenarios/mlp-nntk.mjs', 'wasm', 'trainer-compiled', mlpSamples],
  // The speed-up nntk gives tfjs-layers code as it is: the same model.fit, with and without useBackend.
  alternate(
    ['node', 'scenarios/mlp-tfjs-layers.mjs', 'wasm', mlpSamples],
    ['node', 'scenarios/mlp-tfjs-layers.mjs', 'wasm', mlpSamples, '--nntk'],
  ),
  ['node', 'scenarios/mlp-nntk.mjs', 'cpu', 'loop', cpuMlpSamples],
  ['node', 'scenarios/mlp-tfjs-layers.mjs', 'cpu', cpuMlpSamples],
  alternate(
    ['node', 'scenarios/cnn-nntk.mjs', 'wasm', cnnSamples],
    ['python', 'scenarios/torch_bench.py', 'cnn', cnnSamples],
  ),
  ['node', 'scenarios/cnn-nntk.mjs', 'wasm', cnnSamples, oneThread],
  // webgpu through Dawn; without a GPU it is Mesa's software rasteriser, and the backend column says so.
  ['node', 'scenarios/mlp-nntk.mjs', 'webgpu', 'loop', cpuMlpSamples],
  ['node', 'scenarios/cnn-nntk.mjs', 'webgpu', quick ? '128' : '320'],
  ['node', 'scenarios/cnn-tfjs-layers.mjs', 'wasm', '128'],
  ['node', 'scenarios/cnn-tfjs-layers.mjs', 'wasm', cnnSamples, '--nntk'],
  ['node', 'scenarios/loader.mjs', 'wasm', quick ? '100' : '400'],
  ['node', 'scenarios/optimizer-step.mjs', 'wasm'],
  ['node', 'scenarios/optimizer-step.mjs', 'cpu'],
  ['node', 'scenarios/compact.mjs', 'wasm', quick ? '1280' : '6400'],
  alternate(
    ['node', 'scenarios/deepfcnet-nntk.mjs', 'wasm', quick ? '640' : '3200'],
    ['python', 'scenarios/torch_bench.py', 'deepfcnet', quick ? '640' : '3200'],
  ),
  ['node', 'scenarios/deepfcnet-nntk.mjs', 'wasm', quick ? '640' : '3200', 'compiled'],
  // The WASM SIMD GEMM peak the GFLOP/s column is compared with, with each thread count the rows use.
  ['node', 'scenarios/gemm-peak.mjs'],
  ['node', 'scenarios/gemm-peak.mjs', oneThread],
];
// `--profile <scenario>`: that scenario's nntk wasm run, once, with one epoch under per-kernel timers.
const profiled = {
  mlp: ['node', 'scenarios/mlp-nntk.mjs', 'wasm', 'loop', mlpSamples],
  'mlp-trainer': ['node', 'scenarios/mlp-nntk.mjs', 'wasm', 'trainer', mlpSamples],
  cnn: ['node', 'scenarios/cnn-nntk.mjs', 'wasm', cnnSamples],
  deepfcnet: ['node', 'scenarios/deepfcnet-nntk.mjs', 'wasm', quick ? '640' : '3200'],
};
const profileAt = process.argv.indexOf('--profile');
const profileScenario = profileAt >= 0 ? process.argv[profileAt + 1] : undefined;
if (profileAt >= 0 && !profiled[profileScenario]) {
  process.stderr.write(
    `--profile needs a scenario: one of ${Object.keys(profiled).join(', ')} (got ${profileScenario ?? 'none'})\n`,
  );
  process.exit(2);
}

function hasTorch() {
  return spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

const torch = hasTorch();

/** Runs one scenario process and returns its results (or one error row). */
function runOne([kind, script, ...rest]) {
  const extraEnv = typeof rest.at(-1) === 'object' ? rest.pop() : {};
  const args = rest;
  if (kind === 'python' && !torch) {
    return [
      {
        scenario: args[0],
        system: 'PyTorch CPU',
        backend: '-',
        samplesPerSecond: null,
        error: 'python3-torch not installed (apt-get install python3-torch libopenblas0-pthread)',
      },
    ];
  }
  const command = kind === 'python' ? '/usr/bin/python3' : process.execPath;
  const extra = kind === 'python' ? [...args, dataDir()] : args;
  const envLabel = Object.entries(extraEnv)
    .map(([k, v]) => `${k}=${v} `)
    .join('');
  process.stderr.write(`running ${envLabel}${script} ${args.join(' ')}…\n`);
  const out = spawnSync(command, [`${here}${script}`, ...extra], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', CPU_CORES: String(cpus().length), ...extraEnv },
    cwd: here,
    timeout: 20 * 60_000,
  });
  const lines = (out.stdout ?? '').split('\n').filter((l) => l.startsWith('RESULT '));
  if (lines.length > 0) return lines.map((line) => JSON.parse(line.slice(7)));
  const error = (out.stderr ?? '').split('\n').filter(Boolean).slice(-1)[0] ?? `exit ${out.status}`;
  return [{ scenario: script, system: script, backend: args[0], samplesPerSecond: null, error }];
}

/** The result with the median rate of each result position across rounds, with every round's rate (in order). */
function medianRound(roundResults) {
  return roundResults[0].map((_, k) => {
    const sorted = roundResults
      .map((round) => round[k])
      .sort((a, b) => (a.samplesPerSecond ?? 0) - (b.samplesPerSecond ?? 0));
    const roundRates = roundResults.map((round) => round[k].samplesPerSecond);
    return { ...sorted[Math.floor(sorted.length / 2)], rounds: sorted.length, roundRates };
  });
}

if (profileScenario) {
  const peaks = runOne(['node', 'scenarios/gemm-peak.mjs']);
  const results = runOne([...profiled[profileScenario], { NNTK_BENCH_PROFILE: '1' }]);
  const text = profileReport(results, peaks);
  process.stdout.write(text);
  mkdirSync(`${here}results`, { recursive: true });
  writeFileSync(`${here}results/profile-${profileScenario}.md`, text);
  writeFileSync(
    `${here}results/profile-${profileScenario}.json`,
    `${JSON.stringify({ date: new Date().toISOString(), peaks, results }, null, 2)}\n`,
  );
  process.exit(0);
}

const results = [];
for (const run of runs) {
  if (!run.alternate) {
    results.push(...runOne([...run]));
    continue;
  }
  const perRun = run.alternate.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, spec] of run.alternate.entries()) perRun[i].push(runOne([...spec]));
  }
  for (const roundResults of perRun) results.push(...medianRound(roundResults));
}

const rate = (scenario, system, backend) =>
  results.find(
    (r) => r.scenario === scenario && r.system.startsWith(system) && String(r.backend).startsWith(backend),
  )?.samplesPerSecond;
/** The backend column: wasm with its threads; webgpu with its adapter, software ones marked as such. */
function backendLabel(r) {
  if (r.backend === 'wasm' && r.threads) return `wasm (${r.threads} thread${r.threads > 1 ? 's' : ''})`;
  if (r.backend === 'webgpu' && r.adapter) {
    const { software, vendor, architecture, description } = r.adapter;
    const name = [vendor, architecture].filter(Boolean).join(' ') || description;
    return `webgpu (${software ? 'software: ' : ''}${name})`;
  }
  return r.backend;
}

// The GEMM peaks the GFLOP/s column is a share of (PyTorch's rows too: a share of the WASM peak).
const peaks = results.filter((r) => r.scenario === 'gemm-peak');
// The baseline every "vs tfjs-layers" ratio divides by: tfjs-layers on plain tfjs, without nntk.
const plainLayers = 'tfjs-layers model.fit';
const rows = results.map((r) => {
  const torchRate = rate(r.scenario, 'PyTorch', 'cpu');
  const layersRate = results.find(
    (b) => b.scenario === r.scenario && b.system === plainLayers && b.backend === r.backend,
  )?.samplesPerSecond;
  const value = r.samplesPerSecond ?? r.microsecondsPerStep;
  const gflops = achievedGflops(r);
  const peak = peakFor(r, peaks);
  return {
    gflops: gflops ? gflops.toFixed(1) : r.scenario === 'gemm-peak' && r.gflops ? r.gflops.toFixed(1) : '',
    ofPeak:
      gflops && peak && (r.backend === 'wasm' || r.system.startsWith('PyTorch'))
        ? `${((100 * gflops) / peak.gflops).toFixed(0)}%`
        : '',
    scenario: r.scenario,
    system: r.system,
    backend: backendLabel(r),
    value:
      r.scenario === 'gemm-peak' && r.gflops
        ? `${r.gflops.toFixed(1)} GFLOP/s`
        : value == null
          ? (r.error ?? 'n/a')
          : r.microsecondsPerStep != null
            ? `${value.toFixed(0)} µs/step`
            : `${Math.round(value).toLocaleString('en-US')} samples/s`,
    vsLayers:
      r.samplesPerSecond && layersRate && r.system !== plainLayers
        ? `${(r.samplesPerSecond / layersRate).toFixed(2)}x`
        : '',
    vsTorch:
      r.samplesPerSecond && torchRate && !r.system.startsWith('PyTorch')
        ? `${(r.samplesPerSecond / torchRate).toFixed(2)}x`
        : '',
    vsDense:
      r.scenario.startsWith('pruned-') && r.samplesPerSecond && !r.system.startsWith('masked')
        ? `${(r.samplesPerSecond / rate(r.scenario, 'masked', r.backend)).toFixed(2)}x`
        : '',
    memory: r.peakRssMiB ? `${r.peakRssMiB.toFixed(0)} MiB` : '',
    tensorsFlat: r.tensorsFlat === undefined ? '' : r.tensorsFlat ? 'yes' : 'NO',
  };
});
const header = [
  'scenario',
  'system',
  'backend',
  'value',
  'vs tfjs-layers',
  'vs PyTorch',
  'vs masked dense',
  'peak RSS',
  'tensors flat',
  'GFLOP/s',
  'of WASM GEMM peak',
];
const table = [
  `| ${header.join(' | ')} |`,
  `| ${header.map(() => '---').join(' | ')} |`,
  ...rows.map(
    (r) =>
      `| ${[r.scenario, r.system, r.backend, r.value, r.vsLayers, r.vsTorch, r.vsDense, r.memory, r.tensorsFlat, r.gflops, r.ofPeak].join(' | ')} |`,
  ),
].join('\n');
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.versions.node}`;
const method = `ratios to PyTorch: median of ${rounds} alternating round${rounds > 1 ? 's' : ''} per side`;
process.stdout.write(
  `${table}\n\nmachine: ${machine}${quick ? ' (quick mode: fewer samples)' : ''}; ${method}\n`,
);
mkdirSync(`${here}results`, { recursive: true });
const record = { date: new Date().toISOString(), machine, quick, results, table };
writeFileSync(`${here}results/latest${quick ? '-quick' : ''}.json`, `${JSON.stringify(record, null, 2)}\n`);
writeFileSync(
  `${here}results/latest${quick ? '-quick' : ''}.md`,
  `${table}\n\nmachine: ${machine}; ${method}\n`,
);
