// Formats the result of `pnpm bench -- --profile <scenario>`: the scenario's rate, achieved GFLOP/s against
// the WASM GEMM peak measured in the same run, and its per-kernel profile of one epoch.
import { scenarioFlopsPerSample } from './scenarios/profile.mjs';

/** GFLOP/s of a result (undefined for scenarios without a FLOP count). */
export function achievedGflops(result) {
  const flops = scenarioFlopsPerSample[result.scenario];
  return flops && result.samplesPerSecond ? (flops * result.samplesPerSecond) / 1e9 : undefined;
}

/** The peak measured with the result's thread count (the peak rows carry `threads`), else the largest. */
export function peakFor(result, peaks) {
  const same = peaks.find((p) => p.threads === result.threads && p.gflops);
  return same ?? peaks.filter((p) => p.gflops).sort((a, b) => b.gflops - a.gflops)[0];
}

const fixed = (v, digits = 1) => (v == null ? '' : v.toFixed(digits));

/** The profile report as Markdown: one summary line per result, then its kernel table. */
export function profileReport(results, peaks) {
  const lines = [];
  for (const p of peaks) {
    lines.push(
      `WASM GEMM peak (${p.threads} thread${p.threads > 1 ? 's' : ''}): ${fixed(p.gflops)} GFLOP/s (${p.system}; MatMul ${fixed(p.matMulGflops)}, _FusedMatMul ${fixed(p.fusedMatMulGflops)})`,
    );
  }
  for (const r of results) {
    if (!r.profile) {
      lines.push('', `${r.scenario} ${r.system}: ${r.error ?? 'no profile'}`);
      continue;
    }
    const gflops = achievedGflops(r);
    const peak = peakFor(r, peaks);
    const { epochMs, kernelMs, kernels } = r.profile;
    lines.push(
      '',
      `## ${r.scenario}: ${r.system}, ${r.backend} (${r.threads} thread${r.threads > 1 ? 's' : ''})`,
      `${Math.round(r.samplesPerSecond).toLocaleString('en-US')} samples/s (median epoch); ` +
        `${fixed(gflops)} GFLOP/s of dense/conv training work = ${peak && gflops ? fixed((100 * gflops) / peak.gflops) : '?'}% of the measured GEMM peak`,
      `profiled epoch: ${fixed(epochMs, 0)} ms, ${fixed((100 * kernelMs) / epochMs)}% inside kernels (exclusive times)`,
      '',
      '| kernel | calls | ms | ms/call | share of epoch |',
      '| --- | --- | --- | --- | --- |',
      ...kernels.map(
        (k) =>
          `| ${k.kernel} | ${k.count} | ${fixed(k.ms)} | ${fixed(k.ms / k.count, 3)} | ${fixed((100 * k.ms) / epochMs)}% |`,
      ),
      `| outside kernels (engine, tape, layer/optimizer JS, data) | | ${fixed(epochMs - kernelMs)} | | ${fixed((100 * (epochMs - kernelMs)) / epochMs)}% |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
