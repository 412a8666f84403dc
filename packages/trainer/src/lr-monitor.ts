import { Callback, type Logs } from './callback';

/** Records the learning rate of every parameter group at every step (`history`) and epoch (`lr_<group>` logs). */
export class LRMonitor extends Callback {
  override readonly name: string = 'LRMonitor';
  readonly history: { step: number; lrs: number[] }[] = [];

  private lrs(): number[] {
    const optimizer = this.trainer?.optimizer;
    return optimizer ? optimizer.paramGroups.map((g) => optimizer.currentLr(g)) : [];
  }

  override onBatchEnd(): void {
    this.history.push({ step: this.trainer?.globalStep ?? 0, lrs: this.lrs() });
  }

  override onEpochEnd(_epoch: number, logs: Logs): void {
    this.lrs().forEach((lr, i) => {
      logs[`lr_${i}`] = lr;
    });
  }
}
