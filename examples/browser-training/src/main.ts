import { type BackendInfo, backendInfo } from '@nntk/core';
import type { FashionSubset } from './fashion-subset';
import { trainLayersModel } from './layers-interop';
import { drawLinePlot } from './line-plot';
import type { PageApi, PageInteropResult, PageTrainResult } from './page-api';
import { fetchFashionSubset } from './page-data';
import { PAGE_BACKENDS, type PageBackend, pickBackend, startBackend } from './pick-backend';
import { trainCnn } from './train-cnn';

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

const ui = {
  backend: element<HTMLSelectElement>('backend'),
  steps: element<HTMLInputElement>('steps'),
  batch: element<HTMLInputElement>('batch'),
  train: element<HTMLButtonElement>('train'),
  save: element<HTMLButtonElement>('save'),
  interop: element<HTMLButtonElement>('interop'),
  progress: element<HTMLProgressElement>('progress'),
  status: element<HTMLDivElement>('status'),
  interopStatus: element<HTMLDivElement>('interop-status'),
  loss: element<HTMLCanvasElement>('loss'),
  accuracy: element<HTMLCanvasElement>('accuracy'),
};

let data: FashionSubset | undefined;
let lastModel: Uint8Array | undefined;
let queue: Promise<unknown> = Promise.resolve();

function setState(state: 'ready' | 'training' | 'done' | 'error', error?: unknown): void {
  document.body.dataset.state = state;
  if (error !== undefined) document.body.dataset.error = String((error as Error)?.message ?? error);
  const busy = state === 'training';
  ui.train.disabled = busy || !data;
  ui.interop.disabled = busy || !data;
  ui.backend.disabled = busy;
  ui.save.disabled = busy || !lastModel;
}

function describe(info: BackendInfo): string {
  const adapter = info.adapter
    ? `, adapter ${info.adapter.vendor}/${info.adapter.architecture}${info.adapter.software ? ' (software)' : ''}`
    : '';
  const wasm = info.name === 'wasm' ? `, SIMD ${info.simd}, ${info.threads} thread(s)` : '';
  const fixes = info.fixes.length ? `, nntk fixes: ${info.fixes.join(', ')}` : '';
  return `${info.name}${wasm}${adapter}${fixes}`;
}

/** Runs `task` after every earlier one; the page's state follows it. */
function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(async () => {
    setState('training');
    try {
      const result = await task();
      setState('done');
      return result;
    } catch (error) {
      ui.status.textContent = `error: ${String((error as Error)?.message ?? error)}`;
      setState('error', error);
      throw error;
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

async function selectBackend(name: PageBackend | undefined): Promise<BackendInfo> {
  if (!name || name === backendInfo().name) return backendInfo();
  const info = await startBackend(name);
  ui.backend.value = info.name;
  return info;
}

function loaded(): FashionSubset {
  if (!data) throw new Error('the data set is not loaded yet');
  return data;
}

async function train(options: Parameters<PageApi['train']>[0]): Promise<PageTrainResult> {
  const backend = await selectBackend(options.backend);
  const losses: [number, number][] = [];
  const accuracy: [number, number][] = [];
  ui.progress.max = options.steps;
  const started = performance.now();
  const result = await trainCnn(loaded(), {
    steps: options.steps,
    batchSize: options.batchSize,
    seed: options.seed ?? 0,
    maxLr: options.maxLr,
    evalEvery: options.evalEvery ?? Math.max(1, Math.ceil(options.steps / 10)),
    testSize: options.testSize,
    onStep: async (report) => {
      losses.push([report.step, report.loss]);
      if (report.testAccuracy !== undefined) accuracy.push([report.step, report.testAccuracy]);
      ui.progress.value = report.step;
      const rate = (report.step * options.batchSize) / ((performance.now() - started) / 1000);
      ui.status.textContent = `${describe(backend)}\nstep ${report.step}/${report.steps}  loss ${report.loss.toFixed(4)}  lr ${report.lr.toExponential(2)}  ${rate.toFixed(0)} samples/s`;
      drawLinePlot(ui.loss, 'training loss (cross-entropy)', report.steps, [
        { label: 'loss', color: '#c0392b', points: losses },
      ]);
      drawLinePlot(ui.accuracy, 'test accuracy (first 500 test images)', report.steps, [
        { label: 'accuracy', color: '#2471a3', points: accuracy },
      ]);
      // Lets the browser paint the plots between steps.
      await new Promise((resolve) => requestAnimationFrame(resolve));
    },
  });
  lastModel = result.safetensors;
  ui.status.textContent += `\ndone: test accuracy ${(100 * result.finalAccuracy).toFixed(1)}%, ${result.samplesPerSecond.toFixed(0)} samples/s`;
  const { safetensors, ...rest } = result;
  return { backend, ...rest, safetensorsBytes: safetensors.length };
}

async function interop(options: Parameters<PageApi['interop']>[0]): Promise<PageInteropResult> {
  const backend = await selectBackend(options.backend);
  const result = await trainLayersModel(loaded(), {
    ...options,
    onBatch: (batch, loss) => {
      ui.interopStatus.textContent = `${backend.name}: model.fit batch ${batch + 1}, loss ${loss.toFixed(4)}`;
    },
  });
  ui.interopStatus.textContent = `${backend.name}: model.fit loss by epoch ${result.losses.map((l) => l.toFixed(4)).join(', ')}; test accuracy ${(100 * result.testAccuracy).toFixed(1)}%; nntk AdamW steps ${result.optimizerSteps}`;
  return { backend, ...result };
}

function saveModel(): void {
  if (!lastModel) return;
  const url = URL.createObjectURL(new Blob([lastModel.slice()], { type: 'application/octet-stream' }));
  const link = Object.assign(document.createElement('a'), {
    href: url,
    download: 'browser-training-cnn.safetensors',
  });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

async function start(): Promise<BackendInfo> {
  for (const name of PAGE_BACKENDS) ui.backend.add(new Option(name, name));
  const requested = new URLSearchParams(location.search).get('backend');
  data = await fetchFashionSubset();
  const info = requested ? await startBackend(requested as PageBackend) : (await pickBackend()).info;
  ui.backend.value = info.name;
  ui.status.textContent = `${data.train.length} training images loaded; backend ${describe(info)}`;
  setState('ready');
  return info;
}

const ready = start();
ready.catch((error) => {
  ui.status.textContent = `error: ${String((error as Error)?.message ?? error)}`;
  setState('error', error);
});

window.nntkDemo = {
  ready,
  train: (options) => ready.then(() => exclusive(() => train(options))),
  interop: (options) => ready.then(() => exclusive(() => interop(options))),
};

ui.train.addEventListener('click', () => {
  void window.nntkDemo
    .train({ steps: Number(ui.steps.value), batchSize: Number(ui.batch.value) })
    .catch(() => undefined);
});
ui.interop.addEventListener('click', () => {
  void window.nntkDemo.interop({ samples: 2000, batchSize: 64, epochs: 2 }).catch(() => undefined);
});
ui.backend.addEventListener('change', () => {
  void exclusive(async () => {
    ui.status.textContent = describe(await selectBackend(ui.backend.value as PageBackend));
  }).catch(() => undefined);
});
ui.save.addEventListener('click', saveModel);
