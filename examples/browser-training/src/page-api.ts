import type { BackendInfo } from '@nntk/core';
import type { PageBackend } from './pick-backend';

/** What the page's {@link PageApi.train} reports (the test reads it). */
export interface PageTrainResult {
  backend: BackendInfo;
  losses: number[];
  accuracy: { step: number; value: number }[];
  finalAccuracy: number;
  numTensors: number[];
  leakedTensors: number;
  samplesPerSecond: number;
  safetensorsBytes: number;
}

export interface PageInteropResult {
  backend: BackendInfo;
  losses: number[];
  testAccuracy: number;
  optimizerSteps: number;
  leakedTensors: number;
}

/**
 * The page's API on `window.nntkDemo`, what its buttons call, for scripts and the headless test. Each
 * call waits for the one before it. `document.body.dataset.state` is `loading`, `ready`, `training`,
 * `done` or `error` (with the message in `data-error`).
 */
export interface PageApi {
  /** Resolves once the data set is loaded and the first backend that starts is selected. */
  ready: Promise<BackendInfo>;
  train(options: {
    backend?: PageBackend;
    steps: number;
    batchSize: number;
    seed?: number;
    /** Peak learning rate of the one-cycle schedule (default 3e-3). */
    maxLr?: number;
    /** Test accuracy every this many steps (default: 10 times a run). */
    evalEvery?: number;
    /** Test images the accuracy is measured on (default 500). */
    testSize?: number;
  }): Promise<PageTrainResult>;
  interop(options: {
    backend?: PageBackend;
    samples: number;
    batchSize: number;
    epochs: number;
  }): Promise<PageInteropResult>;
}

declare global {
  interface Window {
    nntkDemo: PageApi;
  }
}
