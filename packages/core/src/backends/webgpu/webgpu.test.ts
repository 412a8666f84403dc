// WebGPU in Node through Dawn (the `webgpu` package). CI installs Mesa's EGL/GLES, so a software adapter
// exists there and these tests must run; elsewhere, with no adapter at all, they are skipped and say why.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { backendInfo, useBackend, webgpuStatus } from '../../index';
import { describeAdapter } from './gpu-adapter';

async function probe(): Promise<string | undefined> {
  const saved = process.env.NNTK_WEBGPU_BACKEND;
  process.env.NNTK_WEBGPU_BACKEND = 'no-such-backend';
  const misconfigured = await webgpuStatus();
  if (saved === undefined) delete process.env.NNTK_WEBGPU_BACKEND;
  else process.env.NNTK_WEBGPU_BACKEND = saved;
  expect(misconfigured.usable).toBe(false);
  expect(misconfigured.reason).toMatch(/NNTK_WEBGPU_BACKEND must be one of auto, vulkan, opengles/);
  const status = await webgpuStatus();
  // CI installs Mesa's GLES, so there an adapter must exist; elsewhere its absence is a reason to skip.
  if (!status.usable && process.env.CI) throw new Error(status.reason);
  return status.usable ? undefined : `no WebGPU here: ${status.reason}`;
}

const unavailable = await probe();

describe('describeAdapter', () => {
  it('tells software adapters from GPUs', () => {
    const gles = { info: { vendor: '', architecture: '', description: 'OpenGL ES 3.2 Mesa 22.3.6' } };
    expect(describeAdapter(gles, 'opengles', false).software).toBe(true);
    expect(describeAdapter(gles, 'opengles', true).software).toBe(false);
    const lavapipe = { info: { vendor: 'mesa', architecture: 'llvmpipe', isFallbackAdapter: false } };
    expect(describeAdapter(lavapipe, 'vulkan', true).software).toBe(true);
    const nvidia = { info: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' } };
    expect(describeAdapter(nvidia, 'vulkan', true)).toEqual({
      vendor: 'nvidia',
      architecture: 'hopper',
      description: 'NVIDIA H200',
      isFallbackAdapter: false,
      software: false,
      via: 'vulkan',
    });
    expect(describeAdapter({ isFallbackAdapter: true }, 'navigator', true).software).toBe(true);
  });
});

describe.skipIf(unavailable !== undefined)(`webgpu in Node (${unavailable ?? 'Dawn adapter found'})`, () => {
  afterAll(async () => {
    await useBackend('cpu');
  });

  it('reports the adapter it computes on', async () => {
    await useBackend('webgpu');
    const info = backendInfo();
    expect(info.name).toBe('webgpu');
    expect(info.tfName).toBe('webgpu');
    expect(info.adapter?.via).toMatch(/^(vulkan|opengles)$/);
    expect(typeof info.adapter?.software).toBe('boolean');
  });

  it('a conv net forward and its gradients agree with cpu', async () => {
    const net = () => {
      const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1);
      const w = tf.randomNormal([3, 3, 3, 4], 0, 0.3, 'float32', 2);
      const v = tf.randomNormal([36, 5], 0, 0.3, 'float32', 3);
      const f = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(
          tf.square(
            tf.matMul(
              tf.reshape(
                tf.maxPool(tf.relu(tf.conv2d(x as tf.Tensor4D, a as tf.Tensor4D, 1, 'same')), 2, 2, 'valid'),
                [2, 36],
              ),
              b,
            ),
          ),
        );
      const { value, grads } = tf.valueAndGrads(f)([w, v]);
      return [value, ...grads];
    };
    const run = async (backend: 'cpu' | 'webgpu') => {
      await useBackend(backend);
      const before = tf.memory().numTensors;
      const out = tf.tidy(net);
      const values = await Promise.all(out.map((t) => t.data()));
      tf.dispose(out);
      expect(tf.memory().numTensors).toBe(before);
      return values;
    };
    const cpu = await run('cpu');
    const gpu = await run('webgpu');
    cpu.forEach((expected, k) => {
      expected.forEach((e, i) => {
        expect(Math.abs(gpu[k][i] - e)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(e)));
      });
    });
  });
});
