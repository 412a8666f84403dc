import type { Logs } from '@nntk/trainer';

/** The IPC message a Node trial sends after each epoch (`reportEpoch`), and the answer it waits for. */
export interface EpochMessage {
  nntk: 'epoch';
  /** Epochs trained so far (this epoch included). */
  epochs: number;
  logs: Logs;
}

export interface DecisionMessage {
  nntk: 'decision';
  epochs: number;
  prune: boolean;
}

/** Set in a Node trial's environment when the sweep waits for its epoch reports. */
export const TRIAL_GATE_ENV = 'NNTK_TRIAL_GATE';
