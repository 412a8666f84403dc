import { Callback, type Logs } from '@nntk/trainer';
import { type DecisionMessage, type EpochMessage, TRIAL_GATE_ENV } from './internal/trial-gate-protocol';

let counted = 0;

/** True in a trial process that a sweep runs and waits on (Node trials of `runSweep` / `runWorker`). */
export function inSweepTrial(): boolean {
  return (
    typeof process !== 'undefined' &&
    process.env[TRIAL_GATE_ENV] === '1' &&
    typeof process.send === 'function'
  );
}

/**
 * Reports a finished epoch to the sweep that runs this trial and waits for its pruning decision
 * (Optuna's `trial.report` + `trial.should_prune`): resolves true when the sweep's pruner stops the
 * trial, which should then return without training further. `logs` is the epoch's line of
 * `metrics.jsonl` (its `epoch`, counted from 0, says which epoch; without it, calls are counted).
 * Outside a sweep it resolves false at once. Waiting for the answer is what makes a seeded sweep prune
 * the same trials after the same epochs on every run, however loaded the machine.
 */
export function reportEpoch(logs: Logs): Promise<boolean> {
  const epochs =
    typeof logs.epoch === 'number' && Number.isInteger(logs.epoch) ? logs.epoch + 1 : counted + 1;
  counted = epochs;
  if (!inSweepTrial()) return Promise.resolve(false);
  // The 'message' listener keeps this process alive while it waits; removing it lets it exit when done.
  return new Promise((done) => {
    const onMessage = (m: unknown) => {
      const d = m as DecisionMessage;
      if (d?.nntk !== 'decision' || d.epochs !== epochs) return;
      stop();
      done(d.prune === true);
    };
    // The sweep went away (it is killed with this process): go on, nothing decides any more.
    const onDisconnect = () => {
      stop();
      done(false);
    };
    const stop = () => {
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
    };
    process.on('message', onMessage);
    process.once('disconnect', onDisconnect);
    const message: EpochMessage = { nntk: 'epoch', epochs, logs: { ...logs } };
    process.send?.(message);
  });
}

/**
 * A Trainer callback for trials of a sweep (`nntk train` adds it when a sweep runs it): after each epoch
 * it reports the epoch's logs with `reportEpoch` and waits for the decision; when pruned, training stops
 * after this epoch (which is still saved to `metrics.jsonl` and `checkpoints/last`). Put it last, so the
 * logs it reports are complete. Does nothing outside a sweep.
 */
export class SweepTrialCallback extends Callback {
  override readonly name: string = 'SweepTrialCallback';

  override async onEpochEnd(_epoch: number, logs: Logs): Promise<void> {
    if (!inSweepTrial()) return;
    if ((await reportEpoch(logs)) && this.trainer) this.trainer.stopTraining = true;
  }
}
