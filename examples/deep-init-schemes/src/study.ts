import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { renderVegaLite, runSweep, writeReport } from '@nntk/runs';
import { type ExampleArgs, markdownTable, saveResults, secondsSince } from '@nntk-examples/kit';

const here = new URL('..', import.meta.url).pathname;
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

/**
 * Deep residual networks without normalisation: DeepFCNet at depths 4, 8 and 16 with standard (He)
 * init, ReZero (Bachlechner et al. 2020) and Fixup (Zhang et al. 2019), denoising noisy points of a
 * 3-sphere embedded in 48 dimensions. The grid is `sweep.json`, run by `runSweep` in worker processes:
 * re-running skips finished configurations and resumes interrupted ones.
 */
export async function runStudy({ quick, outDir }: ExampleArgs) {
  const started = performance.now();
  const spec = JSON.parse(readFileSync(join(here, 'sweep.json'), 'utf8'));
  const base = structuredClone(spec.base);
  if (quick) {
    for (const [path, value] of Object.entries(spec.quick as Record<string, unknown>)) {
      const keys = path.split('.');
      const node = keys.slice(0, -1).reduce((n, k) => n[k], base);
      node[keys.at(-1) as string] = value;
    }
  }
  const progress: string[] = [];
  const sweep = await runSweep({
    base,
    grid: spec.grid,
    concurrency: spec.concurrency,
    monitor: spec.monitor,
    mode: spec.mode,
    dir: join(outDir, 'runs'),
    runner: {
      command: (run) => [
        process.execPath,
        tsx,
        join(here, 'src/train-one.ts'),
        run.configPath,
        run.dir,
        run.resume ? '1' : '0',
      ],
    },
    onRunEnd: (row, info) => {
      const line = `[${info.done}/${info.total}] ${row.run}: ${row.status}${info.skipped ? ' (done earlier)' : ''}, best test MSE ${row.best?.toFixed(4)}`;
      progress.push(line);
      process.stdout.write(`${line}\n`);
    },
  });
  const mse = (depth: number, init: string) =>
    sweep.rows.find((r) => r.overrides['model.depth'] === depth && r.overrides['model.init'] === init)?.final
      .val_loss ?? Number.NaN;
  const depths = spec.grid['model.depth'] as number[];
  const inits = spec.grid['model.init'] as string[];
  const table = markdownTable(
    ['depth', ...inits.map((i) => `${i} test MSE`)],
    depths.map((d) => [d, ...inits.map((i) => (Number.isNaN(mse(d, i)) ? 'diverged (NaN)' : mse(d, i)))]),
  );
  const points = depths.flatMap((depth) => inits.map((init) => ({ depth, init, mse: mse(depth, init) })));
  const svg = await renderVegaLite({
    title: 'Final test MSE by depth (manifold denoising)',
    width: 420,
    height: 260,
    data: { values: points },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'depth', type: 'ordinal', title: 'residual blocks' },
      y: { field: 'mse', type: 'quantitative', title: 'test MSE', scale: { type: 'log' } },
      color: { field: 'init', type: 'nominal', title: 'init' },
    },
  });
  await writeFile(join(outDir, 'mse-by-depth.svg'), svg);
  const report = await writeReport(
    sweep.rows.map((r) => join(outDir, 'runs', r.run)),
    join(outDir, 'report'),
  );
  const results = {
    quick,
    base,
    points,
    skipped: progress.filter((l) => l.includes('done earlier')).length,
    summary: sweep.csv,
    seconds: secondsSince(started),
    plots: [join(outDir, 'mse-by-depth.svg'), ...report.svgs],
  };
  await saveResults(outDir, results, table);
  return results;
}
