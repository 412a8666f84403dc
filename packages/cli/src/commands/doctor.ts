import { BACKEND_NAMES, type BackendName, type GpuAdapterInfo, useBackend, webgpuStatus } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

export const doctorHelp = `Usage: nntk doctor

Checks this machine: Node version, which tfjs backends are installed and working (with a tiny training
step on each), WASM SIMD and threads, nntk's kernel fixes, and whether @tensorflow/tfjs-node-gpu is present
and sees a GPU (it needs CUDA 11.2 and cuDNN 8.1 for tfjs 4.x), and whether webgpu works here (Dawn in
Node: the adapter, software or GPU, or what to install). Suggests the fastest working backend.`;

function describeAdapter(adapter: GpuAdapterInfo): string {
  const name = [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || adapter.description;
  return `adapter ${name} via ${adapter.via}${adapter.software ? ' (software: computes on the CPU, not a GPU)' : ''}`;
}

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
      info.name === 'wasm' ? `${info.threads} thread${info.threads === 1 ? '' : 's'}` : '',
      info.fixes.length ? `fixes: ${info.fixes.join(', ')}` : '',
      info.adapter ? describeAdapter(info.adapter) : '',
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
  for (const name of BACKEND_NAMES.filter((n) => n !== 'webgl')) {
    const status = name === 'webgpu' ? await webgpuStatus() : undefined;
    const result =
      status && !status.usable ? { ok: false, detail: status.reason ?? 'unavailable' } : await probe(name);
    lines.push(
      `${result.ok ? 'ok  ' : 'no  '} ${name.padEnd(8)} ${result.ok ? `${result.ms?.toFixed(0)} ms for 5 training steps; ${result.detail}` : result.detail}`,
    );
    if (result.ok && result.ms !== undefined && (!best || result.ms < best.ms))
      best = { name, ms: result.ms };
  }
  lines.push('     webgl: a browser backend (not checked in Node)');
  if (best)
    lines.push(
      `fastest working backend here: ${best.name} (useBackend('${best.name}') or NNTK_BACKEND=${best.name})`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
  await useBackend('cpu');
  return 0;
}
