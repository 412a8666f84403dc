import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { importBackendPlugin } from './backend';
import {
  BACKEND_NAMES,
  backendInfo,
  defaultBackendName,
  NntkError,
  registerBackendFix,
  useBackend,
} from './index';

describe('useBackend', () => {
  afterAll(async () => {
    await useBackend('cpu');
  });

  it('selects the cpu backend and reports it', async () => {
    const info = await useBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', tfName: 'cpu', simd: false, threads: 1 });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('rejects an unknown backend name and lists the valid ones', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    const error = await useBackend('tpu' as any).catch((e) => e);
    expect(error).toBeInstanceOf(NntkError);
    expect(error.code).toBe('UNKNOWN_BACKEND');
    expect(error.message).toContain('"tpu"');
    for (const name of BACKEND_NAMES) expect(error.message).toContain(name);
  });

  it('names the package to install when a backend package is missing', async () => {
    const error = await useBackend('node-gpu').catch((e) => e);
    expect(error).toBeInstanceOf(NntkError);
    expect(error.code).toBe('BACKEND_NOT_INSTALLED');
    expect(error.message).toContain('npm install @tensorflow/tfjs-node-gpu');
  });

  it('applies a registered fix once and lists it in backendInfo', async () => {
    let calls = 0;
    registerBackendFix('cpu', { name: 'test-fix', description: 'counts calls', apply: () => void calls++ });
    await useBackend('cpu');
    await useBackend('cpu');
    expect(calls).toBe(1);
    expect(backendInfo().fixes).toContain('test-fix');
  });

  it('defaults from NNTK_BACKEND, else wasm in Node', () => {
    const saved = process.env.NNTK_BACKEND;
    try {
      process.env.NNTK_BACKEND = 'cpu';
      expect(defaultBackendName()).toBe('cpu');
      delete process.env.NNTK_BACKEND;
      expect(defaultBackendName()).toBe('wasm');
      process.env.NNTK_BACKEND = 'bogus';
      expect(() => defaultBackendName()).toThrow(/Unknown backend "bogus" \(from NNTK_BACKEND\)/);
    } finally {
      if (saved === undefined) delete process.env.NNTK_BACKEND;
      else process.env.NNTK_BACKEND = saved;
    }
  });

  it("names nntk's backend package to install when it is missing (wasm needs @nntk/backend-wasm)", async () => {
    const error = await importBackendPlugin('wasm', '@nntk/backend-wasm-not-installed').catch((e) => e);
    expect(NntkError.isInstance(error)).toBe(true);
    expect(error.code).toBe('BACKEND_NOT_INSTALLED');
    expect(error.message).toContain(
      'npm install @nntk/backend-wasm-not-installed @tensorflow/tfjs-backend-wasm',
    );
    expect(await importBackendPlugin('cpu')).toBeUndefined();
  });
});
