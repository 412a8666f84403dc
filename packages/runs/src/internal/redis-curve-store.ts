import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TrialCurve } from '../trial-pruner';
import { type CurveStore, YieldSlot } from './ordered-pruning';
import { curvesKey } from './trial-job';

/** How often a trial waiting for a pruning decision looks at the shared curves again (ms). */
export const CURVE_POLL_MS = 250;

/** Job states in which a trial is queued, not running: a trial waiting on it gives its slot back. */
const QUEUED = new Set(['waiting', 'prioritized', 'delayed', 'wait', 'paused']);

/** One hash field per trial: its index (the name when a curve has none). */
function field(c: TrialCurve): string {
  return c.index === undefined ? c.run : String(c.index);
}

/**
 * The curves of a queue sweep, shared by all workers in a Redis hash. A trial waiting for earlier ones
 * looks again every `CURVE_POLL_MS`; when one it waits for has been queued (not running) for two looks
 * in a row (its worker died, or every slot is taken by trials waiting on it), it throws `YieldSlot`,
 * and the worker puts the waiting trial back in the queue behind it (jobs are prioritized by index).
 */
export function redisCurveStore(redis: Redis, queue: Queue, sweepId: string): CurveStore {
  const key = curvesKey(sweepId);
  const queuedBefore = new Set<number>();
  return {
    all: async () => Object.values(await redis.hgetall(key)).map((v) => JSON.parse(v) as TrialCurve),
    set: async (c) => {
      await redis.hset(key, field(c), JSON.stringify(c));
    },
    changed: async (waitingFor, signal) => {
      await new Promise<void>((done) => {
        const timer = setTimeout(finish, CURVE_POLL_MS);
        function finish() {
          clearTimeout(timer);
          signal?.removeEventListener('abort', finish);
          done();
        }
        signal?.addEventListener('abort', finish, { once: true });
      });
      const states = await Promise.all(waitingFor.map((j) => queue.getJobState(`${sweepId}-${j}`)));
      // A job that failed for good (rejected by every worker) never writes its curve: it counts as failed.
      for (const [k, j] of waitingFor.entries())
        if (states[k] === 'failed') {
          const text = await redis.hget(key, String(j));
          const was: TrialCurve = text ? JSON.parse(text) : { run: `#${j}`, index: j, values: [] };
          await redis.hset(key, String(j), JSON.stringify({ ...was, status: 'failed' }));
        }
      const queued = waitingFor.filter((_, k) => QUEUED.has(states[k]));
      const stuck = queued.filter((j) => queuedBefore.has(j));
      queuedBefore.clear();
      for (const j of queued) queuedBefore.add(j);
      if (stuck.length) throw new YieldSlot(stuck);
    },
  };
}
