/** Where a sweep stands, passed to `onProgress` whenever a trial starts or ends. */
export interface SweepProgress {
  total: number;
  /** Finished trials: completed, pruned or failed (skipped ones, done earlier, included). */
  done: number;
  running: number;
  completed: number;
  pruned: number;
  failed: number;
  /** The best monitored value so far, with its run. */
  best?: { run: string; value: number };
  monitor: string;
  /** Estimated seconds left: the mean trial time so far × trials left / trials running at once. */
  etaSeconds?: number;
}

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600)
    return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.round((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

function number(v: number): string {
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toFixed(4) : v.toExponential(3);
}

/**
 * The live sweep line: `sweep 5/12 done · 2 running · 1 failed · 1 pruned · best val_loss 0.3120
 * (003-optimizer.lr=0.01) · ETA 1m20s`.
 */
export function formatSweepLine(p: SweepProgress): string {
  const parts = [`sweep ${p.done}/${p.total} done`, `${p.running} running`];
  if (p.failed) parts.push(`${p.failed} failed`);
  if (p.pruned) parts.push(`${p.pruned} pruned`);
  if (p.best) parts.push(`best ${p.monitor} ${number(p.best.value)} (${p.best.run})`);
  if (p.etaSeconds !== undefined && p.done < p.total) parts.push(`ETA ${duration(p.etaSeconds)}`);
  return parts.join(' · ');
}
