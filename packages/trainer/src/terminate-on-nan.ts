import { Callback, type Logs } from './callback';

/** Stops training at the first batch whose loss is NaN or infinite (Keras's `TerminateOnNaN`). */
export class TerminateOnNaN extends Callback {
  override readonly name: string = 'TerminateOnNaN';
  terminatedAtStep?: number;

  override onBatchEnd(_batch: number, logs: Logs): void {
    if (this.trainer && !Number.isFinite(logs.loss)) {
      this.terminatedAtStep = this.trainer.globalStep;
      this.trainer.stopTraining = true;
    }
  }
}
