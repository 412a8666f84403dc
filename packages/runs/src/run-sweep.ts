import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { check, NntkError } from '@nntk/core';
import { writeFileAtomic } from '@nntk/core/node';
import { createPruner } from './create-pruner';
import { executeTrial, type SweepRun } from './internal/execute-trial';
import { memoryCurveStore } from './internal/ordered-pruning';
import { DEFAULT_QUEUE_NAME, QueueExecutor } from './internal/queue-executor';
import { aggregateConfigurations } from './internal/sweep-configurations';
import {
  applyOverrides,
  type Distribution,
  gridConfigurations,
  type Overrides,
  randomConfigurations,
  runName,
} from './internal/sweep-space';
import { rankRows, type SweepRow, writeSummary } from './internal/sweep-summary';
import { TRIAL_JOB_FORMAT, type TrialJob, type TrialResult } from './internal/trial-job';
import { redactUrl } from './redact-url';
import type { SweepProgress } from './sweep-progress';
import { TPESampler, type TPESamplerOptions, type TrialObservation } from './tpe-sampler';
import type { PrunerSpec } from './trial-pruner';
import { writeSweepReport } from './write-sweep-report';

export type { SweepRun } from './internal/execute-trial';

export interface SweepOptions {
  /** The configuration every run starts from (any JSON object; the CLI's run config for `nntk sweep`). */
  base: Record<string, unknown>;
  /** Every combination of these dotted keys' values. */
  grid?: Record<string, unknown[]>;
  /** Or `trials` draws from `space` (reproducible with `searchSeed`, default 0). */
  random?: { space: Record<string, Distribution>; trials: number; searchSeed?: number };
  /** Or `trials` configurations proposed by TPE as results arrive (`TPESampler`; `searchSeed` seeds it). */
  tpe?: { space: Record<string, Distribution>; trials: number; searchSeed?: number } & Omit<
    TPESamplerOptions,
    'seed' | 'mode'
  >;
  /** Each configuration runs once per seed, written to the config's `seed` key. */
  seeds?: number[];
  /**
   * Trials running at once. Locally: worker processes, default 1. In queue mode: trials enqueued and
   * unfinished at once (the workers decide how many run); default all for grid/random, 4 for TPE.
   */
  concurrency?: number;
  /** The sweep directory: one subdirectory per run (local mode), plus summary.json and summary.csv. */
  dir: string;
  /** The epoch-log key to rank by. Default 'val_loss'. */
  monitor?: string;
  /** Default 'min'. */
  mode?: 'min' | 'max';
  /** Stops bad trials early from their per-epoch `monitor` values: `{ name: 'median' | 'asha', ... }`. */
  pruner?: PrunerSpec;
  /**
   * How a run is trained locally, in its own process: `script`, a module whose default export is
   * `async (config, { runDir, resume, reportEpoch }) => void` and writes `metrics.jsonl` in `runDir` (a
   * Trainer with `runDir` does); after each epoch it calls `await reportEpoch(logs)` and returns when that
   * resolves true (pruned). Or `command`, the argv to spawn for a run (a Node command reports with
   * `reportEpoch` from @nntk/runs, as `nntk train` does; another command's epochs are followed in
   * `metrics.jsonl` and a pruned one gets SIGINT). Not used in queue mode.
   */
  runner?: { script: string } | { command: (run: SweepRun) => string[] };
  /**
   * Queue mode: trials go to a BullMQ queue on Redis (`redis://[user:pass@]host:port[/db]`, or
   * `rediss://` for TLS) and `runWorker` / `nntk worker` processes on any machines run them. Re-running
   * the same sweep reattaches to its trials. `schemaVersion` travels with every job; workers with
   * another version reject it.
   */
  queue?: { url: string; name?: string; schemaVersion?: number };
  /** Checks a trial's full config before it runs or is enqueued (throw to reject). */
  validate?: (config: Record<string, unknown>) => void;
  /** Stops launching runs when aborted and passes SIGINT to the running ones (they save checkpoints). */
  signal?: AbortSignal;
  /** Called as runs finish or are skipped (progress output). */
  onRunEnd?: (row: SweepRow, info: { skipped: boolean; done: number; total: number }) => void;
  /** Called whenever a trial starts or ends: the live sweep line (`formatSweepLine`). */
  onProgress?: (progress: SweepProgress) => void;
}

import type { SweepResult } from './sweep-result';

export type { SweepResult } from './sweep-result';

const DONE = 'done.json';
const PROPOSALS = 'proposals.json';

// The runner wrapper: \`reportEpoch\` speaks the same IPC protocol as report-epoch.ts (this code runs as
// a plain Node script, where @nntk/runs may not resolve).
const WORKER = `
const { pathToFileURL } = await import('node:url');
const { readFileSync } = await import('node:fs');
const [script, configPath, runDir, resume] = process.argv.slice(1);
const mod = await import(pathToFileURL(script).href);
const run = mod.default ?? mod.run;
if (typeof run !== 'function') throw new Error(script + ' must export a default function (config, { runDir, resume, reportEpoch })');
let counted = 0;
const reportEpoch = (logs) => {
  const epochs = Number.isInteger(logs && logs.epoch) ? logs.epoch + 1 : counted + 1;
  counted = epochs;
  if (process.env.NNTK_TRIAL_GATE !== '1' || typeof process.send !== 'function') return Promise.resolve(false);
  return new Promise((done) => {
    const onMessage = (m) => {
      if (!m || m.nntk !== 'decision' || m.epochs !== epochs) return;
      stop();
      done(m.prune === true);
    };
    const onDisconnect = () => { stop(); done(false); };
    const stop = () => { process.off('message', onMessage); process.off('disconnect', onDisconnect); };
    process.on('message', onMessage);
    process.once('disconnect', onDisconnect);
    process.send({ nntk: 'epoch', epochs, logs: { ...logs } });
  });
};
await run(JSON.parse(readFileSync(configPath, 'utf8')), { runDir, resume: resume === '1', reportEpoch });
`;

/** argv for a run with a local runner: a `script` module in a fresh Node process, or a `command`. */
export function runnerArgv(run: SweepRun, runner: NonNullable<SweepOptions['runner']>): string[] {
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

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The sweep's identity: a hash of everything that defines its trials (the same command, the same id). */
export function sweepIdOf(options: SweepOptions): string {
  const { base, grid, random, tpe, seeds, monitor, mode, pruner } = options;
  return createHash('sha256')
    .update(stableJson({ base, grid, random, tpe, seeds, monitor, mode, pruner }))
    .digest('hex')
    .slice(0, 16);
}

interface Planned {
  index: number;
  name: string;
  overrides: Overrides;
  seed?: number;
}

/** Which trials a sweep has: fixed lists for grid/random, TPE proposals made as results arrive. */
class Planner {
  readonly total: number;
  private readonly fixed?: Overrides[];
  private readonly sampler?: TPESampler;
  private readonly proposals = new Map<number, Overrides>();
  private readonly seeds: (number | undefined)[];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    options: SweepOptions,
    mode: 'min' | 'max',
    private readonly persisted: (c: number) => Promise<Overrides | undefined>,
    private readonly persist: (c: number, o: Overrides) => Promise<void>,
  ) {
    this.seeds = options.seeds ?? [undefined];
    if (options.tpe) {
      const { space, trials, searchSeed, ...rest } = options.tpe;
      this.sampler = new TPESampler(space, { ...rest, seed: searchSeed ?? 0, mode });
      this.total = check.integer('runSweep', 'tpe.trials', trials, 1) * this.seeds.length;
    } else {
      this.fixed = options.grid
        ? gridConfigurations(options.grid)
        : options.random
          ? randomConfigurations(
              options.random.space,
              check.integer('runSweep', 'random.trials', options.random.trials, 1),
              options.random.searchSeed ?? 0,
            )
          : [{}];
      this.total = this.fixed.length * this.seeds.length;
    }
  }

  get nSeeds(): number {
    return this.seeds.length;
  }

  /**
   * Trial `index`'s configuration. TPE's proposal for configuration c sees exactly the configurations
   * 0 … v−1 with v = ⌊(c·S − C + 1) / S⌋ (S seeds, C trials at once): the ones finished when trials
   * start in order, waited for when a slow one is not; so proposals never depend on timing.
   */
  trial(
    index: number,
    concurrency: number,
    history: (configurations: number) => Promise<TrialObservation[] | undefined>,
  ): Promise<Planned | undefined> {
    // One at a time, in index order: proposal c sees proposals 0 … c−1 (the running ones among them).
    const next = this.chain.then(() => this.plan(index, concurrency, history));
    this.chain = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  private async plan(
    index: number,
    concurrency: number,
    history: (configurations: number) => Promise<TrialObservation[] | undefined>,
  ): Promise<Planned | undefined> {
    const c = Math.floor(index / this.seeds.length);
    const seed = this.seeds[index % this.seeds.length];
    let overrides = this.fixed?.[c] ?? this.proposals.get(c);
    if (!overrides) {
      overrides = await this.persisted(c);
      if (!overrides) {
        const sampler = this.sampler as TPESampler;
        const S = this.seeds.length;
        const visible = Math.max(0, Math.floor((c * S - concurrency + 1) / S));
        const seen = visible < Math.max(sampler.nStartupTrials, 2) ? [] : await history(visible);
        if (!seen) return undefined;
        const running: TrialObservation[] = [];
        for (let k = visible; k < c; k++) {
          const o = this.proposals.get(k);
          if (o) running.push({ index: k, overrides: o, value: null, status: 'running', epochs: 0 });
        }
        overrides = sampler.ask(c, [...seen, ...running]);
      }
      this.proposals.set(c, overrides);
      await this.persist(c, overrides);
    }
    return {
      index,
      overrides,
      seed,
      name: runName(index, seed === undefined ? overrides : { ...overrides, seed }),
    };
  }
}

/** The TPE history: one observation per configuration below `upTo` (mean over its seeds). */
function observations(rows: Map<number, SweepRow>, nSeeds: number, upTo: number): TrialObservation[] {
  const byConfig = new Map<number, SweepRow[]>();
  for (const [index, row] of rows) {
    const c = Math.floor(index / nSeeds);
    if (c >= upTo) continue;
    byConfig.set(c, [...(byConfig.get(c) ?? []), row]);
  }
  const out: TrialObservation[] = [];
  for (const [c, group] of byConfig) {
    if (group.length < nSeeds) continue;
    const values = group.map((r) => r.best).filter((v): v is number => v !== null);
    const status = group.every((r) => r.status === 'completed')
      ? 'completed'
      : group.some((r) => r.status === 'pruned')
        ? 'pruned'
        : 'failed';
    out.push({
      index: c,
      overrides: group[0].overrides,
      value: values.length ? values.reduce((s, v) => s + v, 0) / values.length : null,
      status,
      epochs: Math.min(...group.map((r) => r.epochs)),
    });
  }
  return out;
}

function validateOptions(options: SweepOptions): void {
  const owner = 'runSweep';
  if (!options?.base || typeof options.base !== 'object') {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: option 'base' must be the configuration object every run starts from`,
    );
  }
  if ([options.grid, options.random, options.tpe].filter(Boolean).length > 1) {
    throw new NntkError('INVALID_OPTION', `${owner}: pass one of 'grid', 'random' or 'tpe', not several`);
  }
  const runner = options.runner;
  if (!options.queue && (!runner || !('script' in runner || 'command' in runner))) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: option 'runner' must be { script: 'train.mjs' } or { command: (run) => argv }`,
    );
  }
  if (options.pruner) createPruner(options.pruner);
}

/**
 * Runs a grid, random or TPE search (Keras Tuner / Ray Tune / Optuna style): each configuration and seed
 * in its own run directory and its own process, up to `concurrency` at once, optionally pruned early
 * (median or ASHA); then writes `summary.json` (runs and per-configuration mean ± std over seeds) and
 * `summary.csv` ranked by `monitor`. Resumable: completed (and pruned) runs are skipped, interrupted
 * ones continue from their last checkpoint. With `queue`, trials go to a BullMQ queue on Redis and
 * `runWorker` processes anywhere run them; results (metrics history included) come back in the jobs,
 * so no shared disk is needed, and re-running the same sweep reattaches to it.
 */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  validateOptions(options);
  const queueMode = Boolean(options.queue);
  const monitor = options.monitor ?? 'val_loss';
  const mode = check.oneOf('runSweep', 'mode', options.mode ?? 'min', ['min', 'max']);
  const dir = resolve(options.dir);
  const sweepId = sweepIdOf(options);
  const pruner = options.pruner ? createPruner(options.pruner) : undefined;
  const saved = await readProposals(dir, sweepId);
  let queue: QueueExecutor | undefined;
  const planner = new Planner(
    options,
    mode,
    async (c) => saved[c] ?? (await queue?.proposal(c * (options.seeds?.length ?? 1))),
    async (c, o) => {
      saved[c] = o;
      await writeFileAtomic(
        join(dir, PROPOSALS),
        `${JSON.stringify({ sweepId, proposals: saved }, null, 2)}\n`,
      );
    },
  );
  queue = options.queue
    ? await QueueExecutor.open(options.queue.url, options.queue.name ?? DEFAULT_QUEUE_NAME, sweepId)
    : undefined;
  await mkdir(dir, { recursive: true });
  try {
    const defaultConcurrency = queueMode ? (options.tpe ? 4 : planner.total) : 1;
    const concurrency = check.integer(
      'runSweep',
      'concurrency',
      options.concurrency ?? defaultConcurrency,
      1,
    );
    const rows = new Map<number, SweepRow>();
    const histories: Record<string, Record<string, number>[]> = {};
    const curves = memoryCurveStore();
    // Wakes whatever waits on results (TPE proposals) when a trial ends or the sweep is stopped.
    let rowWaiters: (() => void)[] = [];
    const wakeRowWaiters = () => {
      const woken = rowWaiters;
      rowWaiters = [];
      for (const w of woken) w();
    };
    options.signal?.addEventListener('abort', wakeRowWaiters, { once: true });
    const historyOf = async (configurations: number): Promise<TrialObservation[] | undefined> => {
      const needed = configurations * planner.nSeeds;
      for (;;) {
        if (options.signal?.aborted) return undefined;
        let all = true;
        for (let i = 0; i < needed && all; i++) all = rows.has(i);
        if (all) return observations(rows, planner.nSeeds, configurations);
        await new Promise<void>((woken) => rowWaiters.push(woken));
      }
    };
    // Queue jobs are added in index order (workers take lower indices first; a trial's pruning waits
    // only on earlier ones, so they must be in the queue first).
    const added = new Map<number, { promise: Promise<void>; done: () => void }>();
    const turn = (index: number) => {
      let entry = added.get(index);
      if (!entry) {
        let done = () => {};
        const promise = new Promise<void>((d) => {
          done = d;
        });
        entry = { promise, done };
        added.set(index, entry);
      }
      return entry;
    };
    let timedSeconds = 0;
    let timed = 0;
    let running = 0;
    let next = 0;
    const progress = () => {
      if (!options.onProgress) return;
      const all = [...rows.values()];
      const ranked = rankRows(all, mode).filter((r) => r.best !== null && r.status !== 'failed');
      const left = planner.total - rows.size;
      options.onProgress({
        total: planner.total,
        done: rows.size,
        running,
        completed: all.filter((r) => r.status === 'completed').length,
        pruned: all.filter((r) => r.status === 'pruned').length,
        failed: all.filter((r) => r.status === 'failed').length,
        monitor,
        ...(ranked[0] ? { best: { run: ranked[0].run, value: ranked[0].best as number } } : {}),
        ...(timed
          ? { etaSeconds: ((timedSeconds / timed) * left) / Math.max(1, Math.min(concurrency, left)) }
          : {}),
      });
    };
    const finish = (index: number, result: TrialResult, skipped: boolean) => {
      rows.set(index, result.row);
      wakeRowWaiters();
      histories[result.row.run] = result.logs;
      options.onRunEnd?.(result.row, { skipped, done: rows.size, total: planner.total });
      progress();
    };
    const runOne = async (t: Planned): Promise<{ result: TrialResult; skipped: boolean }> => {
      const config = applyOverrides(
        options.base,
        t.seed === undefined ? t.overrides : { ...t.overrides, seed: t.seed },
      );
      options.validate?.(config);
      if (queue) {
        const job: TrialJob = {
          format: TRIAL_JOB_FORMAT,
          schemaVersion: options.queue?.schemaVersion ?? 1,
          sweepId,
          index: t.index,
          name: t.name,
          overrides: t.overrides,
          ...(t.seed === undefined ? {} : { seed: t.seed }),
          config,
          monitor,
          mode,
          ...(options.pruner ? { pruner: pruner?.spec } : {}),
        };
        if (t.index > 0) await turn(t.index - 1).promise;
        let submitted: Awaited<ReturnType<QueueExecutor['submit']>>;
        try {
          submitted = await queue.submit(job);
        } finally {
          turn(t.index).done();
        }
        const result = await queue.wait(submitted.job, job, options.signal);
        return { result, skipped: submitted.reattached && result.row.status !== 'failed' };
      }
      const runDir = join(dir, t.name);
      const donePath = join(runDir, DONE);
      if (existsSync(donePath)) {
        const done = JSON.parse(await readFile(donePath, 'utf8')) as TrialResult | SweepRow;
        const result = 'row' in done ? done : { row: done, logs: [] };
        await curves.set({
          run: t.name,
          index: t.index,
          values: result.logs.map((l) => Number(l[monitor] ?? Number.NaN)),
          status: result.row.status,
        });
        return { result, skipped: true };
      }
      const { row, logs } = await executeTrial({
        name: t.name,
        index: t.index,
        overrides: t.overrides,
        seed: t.seed,
        dir: runDir,
        config,
        argv: (run) => runnerArgv(run, options.runner as NonNullable<SweepOptions['runner']>),
        monitor,
        mode,
        pruner,
        curves,
        signal: options.signal,
      });
      if (row.status === 'completed' || row.status === 'pruned') {
        await writeFileAtomic(donePath, `${JSON.stringify({ row, logs }, null, 2)}\n`);
      }
      return { result: { row, logs }, skipped: false };
    };
    const slot = async () => {
      while (next < planner.total && !options.signal?.aborted) {
        const index = next++;
        const t = await planner.trial(index, concurrency, historyOf);
        if (!t) {
          turn(index).done();
          return;
        }
        running += 1;
        progress();
        const began = Date.now();
        try {
          const { result, skipped } = await runOne(t);
          running -= 1;
          if (!skipped) {
            timedSeconds += (Date.now() - began) / 1000;
            timed += 1;
          }
          finish(index, result, skipped);
        } catch (error) {
          running -= 1;
          if ((error as NntkError).code === 'INTERRUPTED') return;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, planner.total) }, slot));
    const ranked = rankRows([...rows.values()], mode);
    const configurations = aggregateConfigurations(ranked, mode);
    const meta = {
      monitor,
      mode,
      sweepId,
      ...(options.queue ? { queue: redactUrl(options.queue.url) } : {}),
    };
    const paths = await writeSummary(dir, ranked, meta, configurations);
    const report = await writeSweepReport({ rows: ranked, configurations, histories }, dir, {
      monitor,
      mode,
    });
    return {
      report,
      rows: ranked,
      best: ranked.find((r) => r.status === 'completed'),
      configurations,
      histories,
      sweepId,
      ...paths,
    };
  } finally {
    await queue?.close();
  }
}

async function readProposals(dir: string, sweepId: string): Promise<Record<number, Overrides>> {
  try {
    const saved = JSON.parse(await readFile(join(dir, PROPOSALS), 'utf8'));
    return saved.sweepId === sweepId ? saved.proposals : {};
  } catch {
    return {};
  }
}
