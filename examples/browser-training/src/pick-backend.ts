import { backendPlugin as wasmPlugin } from '@nntk/backend-wasm';
import { type BackendInfo, NntkError, useBackend } from '@nntk/core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as webgl from '@tensorflow/tfjs-backend-webgl';
import * as webgpu from '@tensorflow/tfjs-backend-webgpu';

/** The backends the page offers, in the order it tries them. */
export const PAGE_BACKENDS = ['webgpu', 'webgl', 'wasm'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

// The wasm binaries are emitted by Vite as assets; tfjs fetches the one this browser can run.
wasm.setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

const MODULES: Record<PageBackend, Record<string, unknown>> = { webgpu, webgl, wasm };

/**
 * Starts one backend through nntk's `useBackend` (which applies nntk's kernel fixes for it), handing it
 * the backend package this page bundles (and, for wasm, nntk's `@nntk/backend-wasm` plugin). WASM computes on threads when the page is cross-origin isolated
 * (served with COOP/COEP headers), as many as the browser reports cores.
 */
export function startBackend(name: PageBackend): Promise<BackendInfo> {
  if (!PAGE_BACKENDS.includes(name))
    throw new NntkError(
      'UNKNOWN_BACKEND',
      `This page offers ${PAGE_BACKENDS.join(', ')}, not ${JSON.stringify(name)}.`,
    );
  const threads =
    name === 'wasm' && globalThis.crossOriginIsolated ? navigator.hardwareConcurrency : undefined;
  return useBackend(name, {
    module: MODULES[name],
    ...(name === 'wasm' ? { plugin: wasmPlugin } : {}),
    ...(threads ? { threads } : {}),
  });
}

/** The first backend of {@link PAGE_BACKENDS} that starts here (WebGPU, then WebGL, then WASM), with why the others did not. */
export async function pickBackend(): Promise<{ info: BackendInfo; skipped: string[] }> {
  const skipped: string[] = [];
  for (const name of PAGE_BACKENDS) {
    try {
      return { info: await startBackend(name), skipped };
    } catch (error) {
      skipped.push(`${name}: ${(error as Error).message}`);
    }
  }
  throw new NntkError('BACKEND_INIT_FAILED', `No backend started in this browser:\n${skipped.join('\n')}`);
}
