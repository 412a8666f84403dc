import { join, resolve } from 'node:path';
import { check, NntkError } from '@nntk/core';
import { type Job, Queue, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { createPruner } from './create-pruner';
import { executeTrial, type SweepRun } from './internal/execute-trial';
import { YieldSlot } from './internal/ordered-pruning';
import { DEFAULT_QUEUE_NAME } from './internal/queue-executor';
import { assertRedisReachable, queueConnection } from './internal/redis-connection';
import { redisCurveStore } from './internal/redis-curve-store';
import { type TrialJob, type TrialResult, validateTrialJob } from './internal/trial-job';

/** How long a worker's lock on a trial lasts without renewal (ms); BullMQ's default is 30 000. */
export const TRIAL_LOCK_DURATION = 5000;
/** How often workers look for trials whose worker died (ms); BullMQ's default is 30 000. */
export const TRIAL_STALLED_INTERVAL = 2000;

export interface WorkerOptions {
  /** `redis://[user:password@]host[:port][/db]`, or `rediss://…` for TLS. */
  queue: string;
  /** Queue name. Default 'nntk-trials' (the one `runSweep({ queue })` uses). */
  name?: string;
  /** Trials at once, each in its own process. Default 1. */
  concurrency?: number;
  /** Worker-side run root: trial `<name>` of sweep `<id>` trains in `<runRoot>/<id>/<name>`. A path shared by workers lets a re-run trial resume from its checkpoint. */
  runRoot: string;
  /** The argv that trains a run (`nntk train <configPath> [--resume]` for the CLI). */
  command: (run: SweepRun) => string[];
  /** Validates a job's config with the same schema as a single run (throw to reject the job). Only registered components pass. */
  validate: (config: Record<string, unknown>) => void;
  /** This worker's config schema version; jobs from a submitter with another one are rejected. */
  schemaVersion: number;
  /** Stops taking trials when aborted; running ones get SIGINT (they checkpoint) and go back to the queue. */
  signal?: AbortSignal;
  /** Called as trials start and end (worker output). */
  onTrial?: (event: {
    name: string;
    sweepId: string;
    /** 'requeued': the trial waited on a queued earlier trial and went back to the queue behind it. */
    phase: 'start' | 'end' | 'requeued';
    row?: TrialResult['row'];
    error?: string;
  }) => void;
}

/**
 * A queue worker (as `nntk worker`): takes trials from the BullMQ queue, validates each job (format and
 * schema version, names, and the config through `validate`), runs the trial in its own process (so the
 * event loop stays free to renew the job's lock), prunes it with the sweep's pruner from the curves all
 * workers share in Redis (the trial waits for each decision, which depends only on earlier trials; a
 * trial waiting on a queued one goes back to the queue behind it, so no slot waits forever), and
 * returns the trial's summary row and metrics history as the job's result.
 * Locks last `TRIAL_LOCK_DURATION` and stalled trials are looked for every `TRIAL_STALLED_INTERVAL`, so
 * a trial whose worker died is picked up by another one within seconds. Resolves when `signal` aborts.
 */
export async function runWorker(options: WorkerOptions): Promise<void> {
  const owner = 'runWorker';
  const concurrency = check.integer(owner, 'concurrency', options.concurrency ?? 1, 1);
  if (typeof options.runRoot !== 'string' || !options.runRoot) {
    throw new NntkError('INVALID_OPTION', `${owner}: option 'runRoot' must be a directory path`);
  }
  const runRoot = resolve(options.runRoot);
  await assertRedisReachable(options.queue);
  const blocking = queueConnection(options.queue);
  const curves = queueConnection(options.queue);
  const queueName = options.name ?? DEFAULT_QUEUE_NAME;
  const states = new Queue(queueName, { connection: curves });
  const controller = new AbortController();
  const processJob = async (job: Job, token?: string): Promise<TrialResult> => {
    let data: TrialJob;
    try {
      data = validateTrialJob(job.data, options.schemaVersion);
      options.validate({ ...data.config, runDir: join(runRoot, data.sweepId, data.name) });
    } catch (error) {
      options.onTrial?.({
        name: String(job.name),
        sweepId: '',
        phase: 'end',
        error: (error as Error).message,
      });
      throw new UnrecoverableError((error as Error).message);
    }
    options.onTrial?.({ name: data.name, sweepId: data.sweepId, phase: 'start' });
    const trial = executeTrial({
      name: data.name,
      index: data.index,
      overrides: data.overrides,
      seed: data.seed,
      dir: join(runRoot, data.sweepId, data.name),
      config: data.config,
      argv: options.command,
      monitor: data.monitor,
      mode: data.mode,
      pruner: data.pruner ? createPruner(data.pruner) : undefined,
      curves: redisCurveStore(curves, states, data.sweepId),
      signal: controller.signal,
    });
    const { row, logs, code } = await trial.catch(async (error: unknown) => {
      if (!(error instanceof YieldSlot) || token === undefined) throw error;
      options.onTrial?.({ name: data.name, sweepId: data.sweepId, phase: 'requeued', error: error.message });
      await job.moveToWait(token);
      throw new WaitingError();
    });
    if (row.status === 'interrupted' || (controller.signal.aborted && code !== 0)) {
      options.onTrial?.({
        name: data.name,
        sweepId: data.sweepId,
        phase: 'end',
        error: 'interrupted; back to the queue',
      });
      throw new Error(
        `trial ${data.name} interrupted on this worker; it resumes from its checkpoint on the next`,
      );
    }
    options.onTrial?.({ name: data.name, sweepId: data.sweepId, phase: 'end', row });
    return { row, logs };
  };
  const worker = new Worker(queueName, processJob, {
    connection: blocking,
    concurrency,
    lockDuration: TRIAL_LOCK_DURATION,
    stalledInterval: TRIAL_STALLED_INTERVAL,
    maxStalledCount: 5,
    autorun: false,
  });
  worker.on('error', () => {});
  const stop = async () => {
    controller.abort();
    await worker.close();
  };
  if (options.signal?.aborted) await stop();
  options.signal?.addEventListener('abort', () => void stop(), { once: true });
  try {
    await worker.run();
  } finally {
    await states.close();
    blocking.disconnect();
    curves.disconnect();
  }
}
