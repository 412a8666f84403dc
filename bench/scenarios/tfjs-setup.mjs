// How the tfjs-layers baselines start their backend: plain tfjs (`tf.setBackend`), as a tfjs user runs
// it, or with `--nntk`, nntk's `useBackend` first (its kernel fixes and, on wasm, its threads), keeping
// the tfjs-layers code unchanged: the speed-up nntk gives users who keep their model.fit code.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** Parses `<backend> <samples> [--nntk]`; starts the backend; returns the run's labels. */
export async function startTfjs(defaultSamples) {
  const args = process.argv.slice(2);
  const withNntk = args.includes('--nntk');
  const [backend, samples = defaultSamples] = args.filter((a) => a !== '--nntk');
  if (withNntk) {
    const { backendInfo, useBackend } = await import('@nntk/core');
    await useBackend(backend);
    const fixes = backendInfo().fixes.length;
    return {
      backend,
      samples: Number(samples),
      system: 'tfjs-layers model.fit after nntk useBackend',
      fixes,
    };
  }
  await tf.setBackend(backend);
  await tf.ready();
  return { backend, samples: Number(samples), system: 'tfjs-layers model.fit', fixes: 0 };
}
