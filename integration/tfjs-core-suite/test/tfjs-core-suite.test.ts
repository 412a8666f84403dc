// tfjs-core's own jasmine op tests, an independent second suite next to nntk's conformance table: every
// spec of the backend's test environment runs twice, on tfjs's plain backend and with nntk's kernel fixes
// (useBackend), and nntk must break none that passes plainly. On webgpu (CI has Mesa's GLES for Dawn)
// tfjs's webgpu subset of the op families nntk trains with; with no adapter elsewhere it is left out,
// saying why.
import { webgpuStatus } from '@nntk/core';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations.
import { runSuite } from '../run-suite.mjs';

interface Summary {
  backend: string;
  specs: number;
  passedPlain: number;
  passedWithNntk: number;
  tfjsSubset: number;
  tfjsSubsetFailingWithNntk: number;
  fixed: string[];
  broken: { name: string; message: string }[];
  statusWithNntk: Record<string, string>;
  suiteFailures: string[];
}

const webgpu = await webgpuStatus();
if (!webgpu.usable && process.env.CI) throw new Error(webgpu.reason);
const backends = webgpu.usable ? ['cpu', 'wasm', 'webgpu'] : ['cpu', 'wasm'];
if (!webgpu.usable)
  describe('tfjs-core specs on webgpu', () => it.skip(`skipped: ${webgpu.reason}`, () => {}));

const summaries: Summary[] = await runSuite(backends);
const byBackend = new Map(summaries.map((s) => [s.backend, s]));

describe("tfjs-core's jasmine specs, plain tfjs against nntk's fixes", () => {
  for (const s of summaries) {
    it(`${s.backend}: ${s.specs} specs, fixed by nntk ${s.fixed.length}, broken by nntk ${s.broken.length}`, () => {
      console.log(
        `${s.backend}: ${s.specs} specs; plain ${s.passedPlain} passed, with nntk ${s.passedWithNntk}; fixed by nntk ${s.fixed.length}, broken by nntk ${s.broken.length}`,
      );
      expect(s.suiteFailures, 'a suite failed to set up').toEqual([]);
      // Sanity: the suite really ran (a bundling mistake once dropped every test file).
      expect(s.passedPlain).toBeGreaterThan(s.backend === 'webgpu' ? 500 : 3000);
      expect(s.broken).toEqual([]);
    });
  }

  it('wasm: the two specs nntk once broke pass, and the gradients nntk exists for are fixed', () => {
    const wasm = byBackend.get('wasm');
    expect(wasm).toBeDefined();
    const fixed = wasm!.fixed;
    // conv2dTranspose with a dy larger than the convolution's output: tfjs reads its top-left window.
    const transposeSpec =
      'conv2dTranspose test-wasm {} input=8x8x8,output=4x4x8,f=8,s=1,inDepth=8,p=same vec4';
    expect(wasm!.statusWithNntk[transposeSpec]).toBe('passed');
    // A gather gradient over an axis of length 1 needs UnsortedSegmentSum with numSegments = 1.
    expect(fixed).toContain('gather test-wasm {} gradient 2D (gather) axis=1 shape=[4, 1] 1D indices');
    expect(fixed).toContain('gather test-wasm {} gradient 3D (gather) axis=2 shape=[4, 1, 4] 2D indices');
    // The heap GEMM takes a [1, n] bias, which tfjs's wasm _FusedMatMul rejects (rank-1 only).
    expect(fixed).toContain(
      'fused matmul test-wasm {} fused A x B with relu and broadcasted bias different rank',
    );
    for (const family of [
      'conv2dTranspose',
      'depthwiseConv2d gradients',
      'unsortedSegmentSum',
      'fused conv2d',
    ])
      expect(
        fixed.some((name) => name.startsWith(family)),
        family,
      ).toBe(true);
    expect(wasm!.tfjsSubsetFailingWithNntk).toBe(0);
  });
});
