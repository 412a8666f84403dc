import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { check, NntkError, writeFileAtomic } from '@nntk/core';
import {
  applyOverrides,
  type Distribution,
  gridConfigurations,
  type Overrides,
  randomConfigurations,
  runName,
} from './internal/sweep-space';
import { bestOf, rankRows, readEpochLogs, type SweepRow, writeSummary } from './internal/sweep-summary';

/** One run of a sweep, as handed to the runner. */
export interface SweepRun {
  name: string;
  dir: string;
  /** `<dir>/config.json`. */
  configPath: string;
  config: Record<string, unknown>;
  /** True when an interrupted earlier attempt left `checkpoints/last` to continue from. */
  resume: boolean;
}

export interface SweepOptions {
  /** The configuration every run starts from (any JSON object; the CLI's run config for `nntk sweep`). */
  base: Record<string, unknown>;
  /** Every combination of these dotted keys' values. */
  grid?: Record<string, unknown[]>;
  /** Or `trials` draws from `space` (reproducible with `searchSeed`, default 0). */
  random?: { space: Record<string, Distribution>; trials: number; searchSeed?: number };
  /** Each configuration runs once per seed, written to the config's `seed` key. */
  seeds?: number[];
  /** Worker processes running at once. Default 1. */
  concurrency?: number;
  /** The sweep directory: one subdirectory per run, plus summary.json and summary.csv. */
  dir: string;
  /** The epoch-log key to rank by. Default 'val_loss'. */
  monitor?: string;
  /** Default 'min'. */
  mode?: 'min' | 'max';
  /**
   * How a run is trained, in its own process: `script`, a module whose default export is
   * `async (config, { runDir, resume }) => void` and writes `metrics.jsonl` in `runDir` (a Trainer
   * with `runDir` does), or `command`, the argv to spawn for a run.
   */
  runner: { script: string } | { command: (run: SweepRun) => string[] };
  /** Stops launching runs when aborted and passes SIGINT to the running ones (they save checkpoints). */
  signal?: AbortSignal;
  /** Called as runs finish or are skipped (progress output). */
  onRunEnd?: (row: SweepRow, info: { skipped: boolean; done: number; total: number }) => void;
}

export interface SweepResult {
  /** Ranked best first. */
  rows: SweepRow[];
  best?: SweepRow;
  json: string;
  csv: string;
}

const DONE = 'done.json';

const WORKER = `
const { pathToFileURL } = await import('node:url');
const { readFileSync } = await import('node:fs');
const [script, configPath, runDir, resume] = process.argv.slice(1);
const mod = await import(pathToFileURL(script).href);
const run = mod.default ?? mod.run;
if (typeof run !== 'function') throw new Error(script + ' must export a default function (config, { runDir, resume })');
await run(JSON.parse(readFileSync(configPath, 'utf8')), { runDir, resume: resume === '1' });
`;

function plannedRuns(options: SweepOptions): { name: string; overrides: Overrides; seed?: number }[] {
  const configurations = options.grid
    ? gridConfigurations(options.grid)
    : options.random
      ? randomConfigurations(
          options.random.space,
          check.integer('runSweep', 'random.trials', options.random.trials, 1),
          options.random.searchSeed ?? 0,
        )
      : [{}];
  const seeds = options.seeds ?? [undefined];
  return configurations
    .flatMap((overrides) => seeds.map((seed) => ({ overrides, seed })))
    .map((r, i) => ({
      ...r,
      name: runName(i, r.seed === undefined ? r.overrides : { ...r.overrides, seed: r.seed }),
    }));
}

function argv(run: SweepRun, runner: SweepOptions['runner']): string[] {
  if ('command' in runner) return runner.command(run);
  return [
    process.execPath,
    '--input-type=module',
    '-e',
    WORKER,
    resolve(runner.script),
    run.configPath,
    run.dir,
    run.resume ? '1' : '0',
  ];
}

function spawnRun(args: string[], dir: string, signal?: AbortSignal): Promise<number> {
  return new Promise((done) => {
    const child = spawn(args[0], args.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], cwd: process.cwd() });
    const interrupt = () => child.kill('SIGINT');
    signal?.addEventListener('abort', interrupt, { once: true });
    child.on('close', () => signal?.removeEventListener('abort', interrupt));
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', () => done(127));
    child.on('exit', async (code, signal) => {
      if (code !== 0)
        await writeFileAtomic(join(dir, 'error.log'), stderr || `exit ${code ?? signal}`).catch(() => {});
      done(code ?? 1);
    });
  });
}

/**
 * Runs a grid or random search (Keras Tuner / Ray Tune style, on one machine): each configuration and
 * seed in its own directory (`config.json`, `metrics.jsonl`, checkpoints) and its own worker process, up
 * to `concurrency` at once; then writes `summary.json` and `summary.csv` ranked by `monitor`. Resumable:
 * runs that completed (their `done.json`) are skipped, interrupted ones continue from their last
 * checkpoint, so re-running the same sweep after a crash or Ctrl-C finishes only what is left.
 */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const owner = 'runSweep';
  if (!options?.base || typeof options.base !== 'object') {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: option 'base' must be the configuration object every run starts from`,
    );
  }
  if (options.grid && options.random) {
    throw new NntkError('INVALID_OPTION', `${owner}: pass either 'grid' or 'random', not both`);
  }
  if (!options.runner || !('script' in options.runner || 'command' in options.runner)) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: option 'runner' must be { script: 'train.mjs' } or { command: (run) => argv }`,
    );
  }
  const concurrency = check.integer(owner, 'concurrency', options.concurrency ?? 1, 1);
  const monitor = options.monitor ?? 'val_loss';
  const mode = check.oneOf(owner, 'mode', options.mode ?? 'min', ['min', 'max']);
  const dir = resolve(options.dir);
  await mkdir(dir, { recursive: true });
  const planned = plannedRuns(options);
  const rows: SweepRow[] = [];
  let next = 0;
  const finish = (row: SweepRow, skipped: boolean) => {
    rows.push(row);
    options.onRunEnd?.(row, { skipped, done: rows.length, total: planned.length });
  };
  const worker = async () => {
    while (next < planned.length && !options.signal?.aborted) {
      const { name, overrides, seed } = planned[next++];
      const runDir = join(dir, name);
      const donePath = join(runDir, DONE);
      if (existsSync(donePath)) {
        finish(JSON.parse(await readFile(donePath, 'utf8')) as SweepRow, true);
        continue;
      }
      await mkdir(runDir, { recursive: true });
      const config = applyOverrides(options.base, seed === undefined ? overrides : { ...overrides, seed });
      config.runDir = runDir;
      const configPath = join(runDir, 'config.json');
      if (!existsSync(join(runDir, 'checkpoints', 'last')))
        await writeFileAtomic(configPath, `${JSON.stringify(config, null, 2)}\n`);
      const run: SweepRun = {
        name,
        dir: runDir,
        configPath,
        config,
        resume: existsSync(join(runDir, 'checkpoints', 'last')),
      };
      const code = await spawnRun(argv(run, options.runner), runDir, options.signal);
      const logs = await readEpochLogs(runDir);
      const row: SweepRow = {
        run: name,
        status: code === 0 ? 'completed' : code === 130 || options.signal?.aborted ? 'interrupted' : 'failed',
        overrides,
        seed,
        ...bestOf(logs, monitor, mode),
        epochs: logs.length,
        final: logs.at(-1) ?? {},
      };
      if (code === 0) await writeFileAtomic(donePath, `${JSON.stringify(row, null, 2)}\n`);
      finish(row, false);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, planned.length) }, worker));
  const ranked = rankRows(rows, mode);
  const paths = await writeSummary(dir, ranked, { monitor, mode });
  return { rows: ranked, best: ranked.find((r) => r.status === 'completed'), ...paths };
}
