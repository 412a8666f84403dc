/**
 * When a scheduler takes its step: after every optimizer step (`'step'`: `OneCycleLR`, `CyclicLR`), after
 * every epoch (`'epoch'`: most schedulers), or after every epoch with a monitored metric (`'metric'`:
 * `ReduceLROnPlateau`).
 */
export type SchedulerKind = 'step' | 'epoch' | 'metric';

/**
 * The one contract every learning-rate scheduler meets, so loops (the `Trainer`, `toTfjsOptimizer`, a
 * hand-written loop) drive any scheduler by its `kind`, never by its class. `step(metric)` takes the
 * monitored value when `kind` is `'metric'` and ignores it otherwise.
 */
export interface Scheduler {
  readonly kind: SchedulerKind;
  step(metric?: number): void;
  getLastLr(): number[];
  stateDict(): Record<string, unknown>;
  loadStateDict(state: Record<string, unknown>): void;
}
