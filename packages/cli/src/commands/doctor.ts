import { BACKEND_NAMES, type BackendName, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

export const doctorHelp = `Usage: nntk doctor

Checks this machine: Node version, which tfjs backends are installed and working (with a tiny training
step on each), WASM SIMD and threads, nntk's kernel fixes, and whether @tensorflow/tfjs-node-gpu is present
and sees a GPU (it needs CUDA 11.2 and cuDNN 8.1 for tfjs 4.x). Suggests the fastest working backend.`;

async function probe(name: BackendName): Promise<{ ok: boolean; detail: string; ms?: number }> {
  try {
    const info = await useBackend(name);
    const started = performance.now();
    const w = tf.variable(tf.randomNormal([256, 256]));
    const x = tf.randomNormal([128, 256]);
    for (let i = 0; i < 5; i++) {
      const { grads, value } = tf.variableGrads(() => tf.mean(tf.square(tf.matMul(x, w))) as tf.Scalar, [w]);
      tf.tidy(() => w.assign(tf.sub(w, tf.mul(grads[w.name], 0.01))));
      tf.dispose([value, grads[w.name]]);
    }
    const ms = performance.now() - started;
    tf.dispose([w, x]);
    const extras = [
      info.simd ? 'SIMD' : '',
      `${info.threads} thread${info.threads === 1 ? '' : 's'}`,
      info.fixes.length ? `fixes: ${info.fixes.join(', ')}` : '',
    ].filter(Boolean);
    return { ok: true, detail: extras.join(', '), ms };
  } catch (error) {
    return { ok: false, detail: (error as Error).message.split('\n')[0] };
  }
}

export async function doctor(): Promise<number> {
  const lines = [
    `node ${process.versions.node} (${process.platform} ${process.arch})`,
    `@tensorflow/tfjs-core ${tf.version_core}`,
  ];
  let best: { name: string; ms: number } | undefined;
  for (const name of BACKEND_NAMES.filter((n) => n !== 'webgl' && n !== 'webgpu')) {
    const result = await probe(name);
    lines.push(
      `${result.ok ? 'ok  ' : 'no  '} ${name.padEnd(8)} ${result.ok ? `${result.ms?.toFixed(0)} ms for 5 training steps; ${result.detail}` : result.detail}`,
    );
    if (result.ok && result.ms !== undefined && (!best || result.ms < best.ms))
      best = { name, ms: result.ms };
  }
  lines.push('     webgl, webgpu: browser backends (not checked in Node)');
  if (best)
    lines.push(
      `fastest working backend here: ${best.name} (useBackend('${best.name}') or NNTK_BACKEND=${best.name})`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
  await useBackend('cpu');
  return 0;
}
