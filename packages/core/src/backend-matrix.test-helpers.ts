// The backend matrix the cross-backend suites run on (op conformance, layer and optimizer parity,
// Trainer.fit): each suite is written once and run per backend from this list, not copied per backend.
import { describe, it } from 'vitest';
import { webgpuStatus } from './webgpu-status';

export type MatrixBackend = 'cpu' | 'wasm' | 'webgpu';

/**
 * The backends of `wanted` this machine can run: cpu and wasm always, webgpu where Dawn finds an adapter.
 * CI installs Mesa's GLES for Dawn, so there a missing adapter is an error; elsewhere webgpu is left out
 * and a skipped test named after `suite` says why.
 */
export async function backendMatrix(
  suite: string,
  wanted: MatrixBackend[] = ['cpu', 'wasm', 'webgpu'],
): Promise<MatrixBackend[]> {
  if (!wanted.includes('webgpu')) return wanted;
  const status = await webgpuStatus();
  if (status.usable) return wanted;
  if (process.env.CI) throw new Error(status.reason);
  describe(`${suite} on webgpu`, () => it.skip(`skipped: ${status.reason}`, () => {}));
  return wanted.filter((b) => b !== 'webgpu');
}
