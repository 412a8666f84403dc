import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeSafetensors, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InteropResult, trainLayersModel } from './layers-interop';
import { readFashionSubset } from './node-reference';
import type { PageTrainResult } from './page-api';
import type { PageBackend } from './pick-backend';
import { type StaticServer, serveStatic } from './static-server';
import { type TrainResult, trainCnn } from './train-cnn';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** WebGPU is offered only behind this flag here (a SwiftShader adapter); WebGL2 runs on ANGLE + SwiftShader as is. */
const FLAGS = ['--enable-unsafe-webgpu'];

/** Few steps and a small batch: WebGPU and WebGL compute on SwiftShader (software) in CI. */
const RUN = { steps: 10, batchSize: 16, maxLr: 1e-2, seed: 0, evalEvery: 10, testSize: 200 };
const INTEROP = { samples: 192, batchSize: 64, epochs: 2 };
/**
 * Tolerances against the Node wasm run of the same seed: the training loss of every step (absolute; also
 * model.fit's loss by epoch) and the test accuracy on 200 images (0.02 is 4 images). Measured here: wasm
 * equal to Node, webgl and webgpu within 2.4e-7 (float32 rounding of a loss near 2.3).
 */
const LOSS_TOLERANCE = 1e-4;
const ACCURACY_TOLERANCE = 0.02;

const speeds: Record<string, number> = {};
/** Largest per-step loss difference from the Node run, by backend (printed with the speeds). */
const lossDifferences: Record<string, number> = {};

/** The largest absolute difference between two series of the same length. */
function largestDifference(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return Math.max(...a.map((value, i) => Math.abs(value - b[i])));
}

if (!HAVE_CHROMIUM)
  console.warn(
    `browser-training: skipping the headless-Chromium test: ${CHROMIUM} is missing (apt-get install chromium)`,
  );

describe.skipIf(!HAVE_CHROMIUM)(
  `the page in headless Chromium (${CHROMIUM}; skipped only when it is missing)`,
  () => {
    let outDir: string;
    let server: StaticServer;
    let browser: Browser;
    let reference: TrainResult;
    let interopReference: InteropResult;

    beforeAll(async () => {
      outDir = await mkdtemp(join(tmpdir(), 'browser-training-'));
      await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
      server = await serveStatic(outDir);
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
      await useBackend('wasm');
      const data = await readFashionSubset();
      reference = await trainCnn(data, RUN);
      interopReference = await trainLayersModel(data, INTEROP);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      if (outDir) await rm(outDir, { recursive: true, force: true });
      if (Object.keys(speeds).length)
        console.log(
          `browser-training samples/s (headless Chromium, SwiftShader for webgl/webgpu): ${JSON.stringify(speeds)}; largest loss difference from Node: ${JSON.stringify(lossDifferences)}`,
        );
    });

    async function openPage(backend: PageBackend): Promise<{ page: Page; errors: string[] }> {
      const page = await browser.newPage({ viewport: { width: 800, height: 860 } });
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${server.url}?backend=${backend}`);
      const info = await page.evaluate(() => window.nntkDemo.ready);
      expect(info.name).toBe(backend);
      return { page, errors };
    }

    function expectMatchesNode(result: PageTrainResult): void {
      expect(result.losses).toHaveLength(RUN.steps);
      const difference = largestDifference(result.losses, reference.losses);
      lossDifferences[result.backend.name] = difference;
      expect(difference).toBeLessThan(LOSS_TOLERANCE);
      expect(Math.abs(result.finalAccuracy - reference.finalAccuracy)).toBeLessThanOrEqual(
        ACCURACY_TOLERANCE,
      );
    }

    it('the Node wasm reference trains: the loss falls', () => {
      const [first, last] = [reference.losses.slice(0, 3), reference.losses.slice(-3)].map(
        (l) => l.reduce((a, b) => a + b) / 3,
      );
      expect(last).toBeLessThan(first - 0.1);
      expect(reference.leakedTensors).toBe(0);
    });

    it.each(['wasm', 'webgl', 'webgpu'] as const)(
      '%s: trains the CNN as Node does, no console error, no tensor growth; model.fit with nntk AdamW',
      async (backend) => {
        const { page, errors } = await openPage(backend);
        const result = await page.evaluate((options) => window.nntkDemo.train(options), RUN);
        expect(result.backend.name).toBe(backend);
        if (backend === 'wasm') {
          expect(result.backend.fixes).toContain('Conv2DBackpropFilter');
          // Cross-origin isolated (COOP/COEP): tfjs loads its threaded build, whose pthread pool runs in workers.
          expect(page.workers().length).toBeGreaterThan(0);
        }
        if (backend === 'webgpu') expect(result.backend.adapter?.software).toBe(true);
        expectMatchesNode(result);
        expect(new Set(result.numTensors).size).toBe(1);
        expect(result.leakedTensors).toBe(0);
        speeds[backend] = Math.round(result.samplesPerSecond);

        const interop = await page.evaluate((options) => window.nntkDemo.interop(options), INTEROP);
        expect(interop.optimizerSteps).toBe(interopReference.optimizerSteps);
        expect(interop.losses[1]).toBeLessThan(interop.losses[0]);
        const interopDifference = largestDifference(interop.losses, interopReference.losses);
        lossDifferences[`${backend} model.fit`] = interopDifference;
        expect(interopDifference).toBeLessThan(LOSS_TOLERANCE);
        expect(interop.leakedTensors).toBe(0);
        expect(await page.getAttribute('body', 'data-state')).toBe('done');
        expect(errors).toEqual([]);
        await page.close();
      },
    );

    it('wasm: the save button downloads the trained weights as safetensors; the screenshot', async () => {
      const { page, errors } = await openPage('wasm');
      await page.evaluate(() => window.nntkDemo.train({ steps: 60, batchSize: 32, seed: 0, evalEvery: 6 }));
      await page.evaluate(() => window.nntkDemo.interop({ samples: 2000, batchSize: 64, epochs: 2 }));
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
      expect(download.suggestedFilename()).toBe('browser-training-cnn.safetensors');
      const path = await download.path();
      const { tensors, metadata } = decodeSafetensors(new Uint8Array(await readFile(path)));
      expect(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.shape]))).toEqual({
        '0.weight': [3, 3, 1, 8],
        '0.bias': [8],
        '3.weight': [3, 3, 8, 16],
        '3.bias': [16],
        '7.weight': [784, 10],
        '7.bias': [10],
      });
      expect(metadata.steps).toBe('60');
      tf.dispose(Object.values(tensors));
      await page.screenshot({ path: join(ROOT, 'screenshot.png'), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });
  },
);
