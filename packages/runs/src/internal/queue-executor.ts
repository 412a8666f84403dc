import { NntkError } from '@nntk/core';
import { type Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { assertRedisReachable, queueConnection } from './redis-connection';
import type { Overrides } from './sweep-space';
import type { TrialJob, TrialResult } from './trial-job';

/** Default queue name shared by `nntk sweep --queue` and `nntk worker`. */
export const DEFAULT_QUEUE_NAME = 'nntk-trials';

/** Attempts per trial: a trial retried after its worker died or was stopped (each resumes its checkpoint). */
const ATTEMPTS = 5;

/** BullMQ's largest job priority (2^21 − 1). */
const MAX_PRIORITY = 2_097_151;

function isTrialResult(v: unknown): v is TrialResult {
  return typeof v === 'object' && v !== null && 'row' in v && 'logs' in v;
}

/** The submitter's side of a queue sweep: enqueue or reattach to trials, wait for their results. */
export class QueueExecutor {
  private readonly connections: Redis[];
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly retried = new Set<string>();

  private constructor(
    readonly sweepId: string,
    name: string,
    url: string,
  ) {
    this.connections = [queueConnection(url), queueConnection(url)];
    this.queue = new Queue(name, { connection: this.connections[0] });
    this.events = new QueueEvents(name, { connection: this.connections[1] });
  }

  static async open(url: string, name: string, sweepId: string): Promise<QueueExecutor> {
    await assertRedisReachable(url);
    const executor = new QueueExecutor(sweepId, name, url);
    await executor.events.waitUntilReady();
    return executor;
  }

  private jobId(index: number): string {
    return `${this.sweepId}-${index}`;
  }

  /** The overrides a trial of this sweep was enqueued with (for TPE proposals after a restart). */
  async proposal(index: number): Promise<Overrides | undefined> {
    const job = await this.queue.getJob(this.jobId(index));
    return job ? (job.data as TrialJob).overrides : undefined;
  }

  /**
   * Enqueues the trial unless this sweep already has it (reattach). A trial that failed in an earlier
   * session of the submitter is enqueued afresh, once per session. Jobs are prioritized by index (lower
   * first), so a trial that went back to the queue waits behind the earlier ones it depends on.
   */
  async submit(data: TrialJob): Promise<{ job: Job; reattached: boolean }> {
    const jobId = this.jobId(data.index);
    let job: Job | undefined = await this.queue.getJob(jobId);
    const reattached = Boolean(job);
    if (job && !this.retried.has(jobId)) {
      this.retried.add(jobId);
      const failed =
        (await job.isFailed()) || (isTrialResult(job.returnvalue) && job.returnvalue.row.status === 'failed');
      if (failed) {
        await job.remove();
        job = undefined;
      }
    }
    job ??= await this.queue.add(data.name, data, {
      jobId,
      attempts: ATTEMPTS,
      priority: Math.min(data.index + 1, MAX_PRIORITY),
      removeOnComplete: false,
      removeOnFail: false,
    });
    return { job, reattached };
  }

  /** Waits for a submitted trial's result (a failed row when the job failed). */
  async wait(job: Job, data: TrialJob, signal?: AbortSignal): Promise<TrialResult> {
    const waiting = job.waitUntilFinished(this.events);
    const aborted = new Promise<never>((_, fail) => {
      if (signal?.aborted) fail(new NntkError('INTERRUPTED', 'sweep interrupted'));
      signal?.addEventListener('abort', () => fail(new NntkError('INTERRUPTED', 'sweep interrupted')), {
        once: true,
      });
    });
    try {
      const value: unknown = await Promise.race([waiting, aborted]);
      if (!isTrialResult(value))
        throw new NntkError('INVALID_JOB', `trial ${data.name}: the worker returned no result`);
      return value;
    } catch (error) {
      if ((error as NntkError).code === 'INTERRUPTED') throw error;
      return {
        row: {
          run: data.name,
          status: 'failed',
          overrides: data.overrides,
          ...(data.seed === undefined ? {} : { seed: data.seed }),
          best: null,
          bestEpoch: null,
          epochs: 0,
          final: {},
          error: (error as Error).message,
        },
        logs: [],
      };
    }
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    for (const c of this.connections) c.disconnect();
  }
}
