import { webgpuStatus } from '@nntk/core';
import { describe, it } from 'vitest';
import { runLayerParity } from './parity.test-suite';

// CI installs Mesa's GLES, so webgpu runs there; elsewhere with no adapter the suite is skipped, saying why.
const status = await webgpuStatus();
if (!status.usable && process.env.CI) throw new Error(status.reason);
if (status.usable) runLayerParity('webgpu');
else describe('layers match PyTorch on webgpu', () => it.skip(`skipped: ${status.reason}`, () => {}));
