import { useBackend, wasmBackend, heapKernels, heapOffset } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
const { HEAP_KERNELS_WASM } = await import('../../packages/core/src/backends/wasm/heap-kernels-wasm.ts');
await useBackend('wasm');
const be = wasmBackend(); const k = heapKernels(be, HEAP_KERNELS_WASM);
console.log(Object.keys(k));
const x = tf.randomNormal([64,28,28,32]); const g = tf.randomNormal([64,14,14,32]); const dx = tf.zeros([64,28,28,32]);
const [xo,go,dxo] = [x,g,dx].map(t=>heapOffset(be,t));
for (let r=0;r<5;r++){ const s=performance.now(); for(let i=0;i<5;i++) k.maxPoolGrad(xo,go,dxo,64,28,28,32,14,14,2,2,2,2,0,0); console.log('mpg', ((performance.now()-s)/5).toFixed(2)); }
const x2 = tf.randomNormal([64,14,14,32]); const out = tf.zeros([288, 12544]);
for (let r=0;r<5;r++){ const s=performance.now(); for(let i=0;i<5;i++) k.patchesTransposed(heapOffset(be,x2),heapOffset(be,out),64,14,14,32,14,14,3,3,1,1,1,1); console.log('patches', ((performance.now()-s)/5).toFixed(2)); }
{ const c0 = process.cpuUsage(); const s=performance.now(); for(let i=0;i<10;i++) k.maxPoolGrad(xo,go,dxo,64,28,28,32,14,14,2,2,2,2,0,0); const w=performance.now()-s; const c=process.cpuUsage(c0); console.log('wall', w.toFixed(0), 'cpu', ((c.user+c.system)/1000).toFixed(0)); }
