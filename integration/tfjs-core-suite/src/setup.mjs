// The prelude of the bundle: picks the backend's test environment and spec selection, and before any
// spec runs, starts the backend either plainly (tfjs's own kernels) or through nntk's useBackend (its
// kernel fixes applied). Read by build.mjs; runs inside the jasmine process.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { setTestEnvs } from '@tensorflow/tfjs-core/dist/jasmine_util';
import { BACKEND_SPECS, selected, TRAINING_FAMILIES } from './filters.mjs';

const backend = process.env.SUITE_BACKEND ?? 'cpu';
const withNntk = process.env.SUITE_NNTK === '1';
// 'tfjs': the specs tfjs's backend package runs; 'all': every spec of the environment (plain failures
// included, so that what nntk fixes shows up too).
const selection = process.env.SUITE_SELECTION ?? 'all';
const families = backend === 'webgpu' && process.env.SUITE_WEBGPU !== 'full' ? TRAINING_FAMILIES : undefined;
const only = process.env.SUITE_GREP ? new RegExp(process.env.SUITE_GREP) : families;
const spec = BACKEND_SPECS[backend];
if (!spec)
  throw new Error(`SUITE_BACKEND must be one of ${Object.keys(BACKEND_SPECS).join(', ')}, got ${backend}`);

setTestEnvs([spec.env]);
const env = jasmine.getEnv();
env.configure({
  random: false,
  specFilter: (s) => {
    const name = s.getFullName();
    if (only !== undefined && !only.test(name)) return false;
    return selection === 'all' || selected(spec, name);
  },
});

/** A package loaded the way nntk's useBackend loads it: by name at run time, outside this bundle. */
const importAtRunTime = (name) => import(/* runtime */ name);

async function startPlain() {
  if (backend === 'webgpu') {
    // Dawn's navigator.gpu must exist before tfjs's webgpu backend loads; nntk's probe installs it.
    const { webgpuStatus } = await import('@nntk/core');
    const status = await webgpuStatus();
    if (!status.usable) throw new Error(status.reason);
  }
  if (backend !== 'cpu') await importAtRunTime(`@tensorflow/tfjs-backend-${backend}`);
  else await importAtRunTime('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} did not start`);
}

async function startWithNntk() {
  const { useBackend } = await import('@nntk/core');
  const info = await useBackend(backend, backend === 'wasm' ? { threads: 1 } : {});
  console.log(`nntk fixes on ${backend}: ${info.fixes.length ? info.fixes.join('; ') : 'none'}`);
}

beforeAll(async () => {
  await (withNntk ? startWithNntk() : startPlain());
}, 600_000);
