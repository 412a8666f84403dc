import {
  backendCapability,
  backendInfo,
  NntkError,
  registerBackendCapability,
  registerBackendFix,
  useBackend,
} from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { backendPlugin, createFusedOptimizerUpdates } from './index';

describe("useBackend('wasm') loads @nntk/backend-wasm", () => {
  afterAll(async () => {
    await useBackend('cpu');
  });

  it('selects the wasm backend with SIMD, and registered gradients work there', async () => {
    const info = await useBackend('wasm');
    expect(info.name).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.threads).toBeGreaterThanOrEqual(1);
    const g = tf.tidy(() => tf.grad((x: tf.Tensor) => x.mul(x).sum())(tf.tensor1d([1, 2, 3])));
    expect(Array.from(await g.data())).toEqual([2, 4, 6]);
    g.dispose();
  });

  it("applies this package's fixes once, in order, then fixes registered in core", async () => {
    let calls = 0;
    registerBackendFix('wasm', { name: 'test-fix', description: 'counts calls', apply: () => void calls++ });
    await useBackend('wasm');
    await useBackend('wasm');
    expect(calls).toBe(1);
    const names = backendPlugin.fixes.map((f) => f.name);
    expect(backendInfo().fixes).toEqual([...names, 'test-fix']);
    expect(names).toContain('Conv2DBackpropFilter');
    expect(names).toContain('MaxPoolGrad');
  });

  it('offers the fused optimizer updates while wasm is active, and only then', async () => {
    await useBackend('wasm');
    expect(backendCapability('fusedOptimizerUpdates')).toBe(
      backendPlugin.capabilities?.fusedOptimizerUpdates,
    );
    await useBackend('cpu');
    expect(backendCapability('fusedOptimizerUpdates')).toBeUndefined();
  });

  it('a capability registered after the first start stands across later starts, until restored', async () => {
    await useBackend('wasm');
    const javascriptLoops = createFusedOptimizerUpdates({ simd: false });
    const restore = registerBackendCapability('wasm', 'fusedOptimizerUpdates', javascriptLoops);
    await useBackend('wasm');
    expect(backendCapability('fusedOptimizerUpdates')).toBe(javascriptLoops);
    restore();
    expect(backendCapability('fusedOptimizerUpdates')).toBe(
      backendPlugin.capabilities?.fusedOptimizerUpdates,
    );
  });

  it('rejects a bad thread count', async () => {
    const error = await useBackend('wasm', { threads: 0 }).catch((e) => e);
    expect(NntkError.isInstance(error)).toBe(true);
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain("'threads'");
  });
});
