import type { TrialCurve, TrialPruner } from '../trial-pruner';

/**
 * Where the trials' curves live: in memory for a local sweep, in Redis for a queue. `changed` resolves
 * when a curve may have changed (at once in memory; after a short poll over Redis); it may reject with
 * `YieldSlot` when the trials waited for are queued and not running, so the waiting one should give its
 * worker slot back.
 */
export interface CurveStore {
  all(): Promise<TrialCurve[]>;
  set(curve: TrialCurve): Promise<void>;
  changed(waitingFor: number[], signal?: AbortSignal): Promise<void>;
}

/** Thrown by a queue `CurveStore` when a trial waits on earlier trials that are queued, not running. */
export class YieldSlot extends Error {
  constructor(readonly waitingFor: number[]) {
    super(`waiting for trial(s) ${waitingFor.join(', ')}, which are queued: giving the slot back`);
    this.name = 'YieldSlot';
  }
}

/** A trial that can no longer change what it showed at epoch `t`: it went on past `t`, or stopped. */
function settledAt(curve: TrialCurve | undefined, t: number): boolean {
  if (!curve) return false;
  if (curve.status === 'completed' || curve.status === 'pruned' || curve.status === 'failed') return true;
  // 'running' and 'interrupted' (it continues from its checkpoint, on this or another worker).
  return (curve.passed ?? 0) >= t;
}

/** An earlier trial as it stood at epoch `t`: 'running' when it went on past `t`, else how it ended. */
function asOfEpoch(curve: TrialCurve, t: number): TrialCurve {
  const went =
    curve.values.length > t ||
    (curve.status !== 'completed' && curve.status !== 'pruned' && curve.status !== 'failed');
  return {
    run: curve.run,
    index: curve.index,
    values: curve.values.slice(0, t),
    status: went ? 'running' : curve.status,
  };
}

export interface EpochDecision {
  /** The trial's index in the sweep and its name. */
  index: number;
  run: string;
  /** Its monitored values so far; the decision is about epoch `values.length`. */
  values: number[];
  /** The epochs the run asks for: the last one is never pruned. */
  lastEpoch?: number;
  pruner?: TrialPruner;
  mode: 'min' | 'max';
  store: CurveStore;
  signal?: AbortSignal;
}

/**
 * Whether a trial stops after epoch t = `values.length`, the same on every run of the sweep: when the
 * pruner judges epoch t, it waits until every earlier trial (index < `index`) has gone past t or
 * stopped, then judges against those trials as they stood at t (later trials never count, so neither
 * the timing nor the number of trials at once changes a decision). Records the decision in the store
 * (others wait on it). Resolves false when `signal` aborts.
 */
export async function decideEpoch(d: EpochDecision): Promise<boolean> {
  const t = d.values.length;
  const mine: TrialCurve = { run: d.run, index: d.index, values: d.values, status: 'running', passed: t - 1 };
  const judged =
    d.pruner !== undefined &&
    (d.lastEpoch === undefined || t < d.lastEpoch) &&
    (d.pruner.judges?.(t) ?? true);
  if (!judged || !d.pruner) {
    await d.store.set({ ...mine, passed: t });
    return false;
  }
  await d.store.set(mine);
  let earlier: TrialCurve[];
  for (;;) {
    const byIndex = new Map<number, TrialCurve>();
    for (const c of await d.store.all()) if (c.index !== undefined) byIndex.set(c.index, c);
    const waitingFor: number[] = [];
    for (let j = 0; j < d.index; j++) if (!settledAt(byIndex.get(j), t)) waitingFor.push(j);
    if (waitingFor.length === 0) {
      earlier = Array.from({ length: d.index }, (_, j) => asOfEpoch(byIndex.get(j) as TrialCurve, t));
      break;
    }
    if (d.signal?.aborted) return false;
    await d.store.changed(waitingFor, d.signal);
  }
  const prune = d.pruner.shouldPrune(
    { run: d.run, index: d.index, values: d.values, status: 'running' },
    earlier,
    d.mode,
  );
  await d.store.set(prune ? { ...mine, status: 'pruned' } : { ...mine, passed: t });
  return prune;
}

/** The curves of a local sweep, in memory; waiting trials wake whenever one changes. */
export function memoryCurveStore(): CurveStore {
  const curves = new Map<string, TrialCurve>();
  let wake: (() => void)[] = [];
  return {
    all: async () => [...curves.values()],
    set: async (c) => {
      curves.set(c.run, c);
      const woken = wake;
      wake = [];
      for (const w of woken) w();
    },
    changed: (_waitingFor, signal) =>
      new Promise<void>((done) => {
        if (signal?.aborted) return done();
        const finish = () => {
          signal?.removeEventListener('abort', finish);
          done();
        };
        wake.push(finish);
        signal?.addEventListener('abort', finish, { once: true });
      }),
  };
}
