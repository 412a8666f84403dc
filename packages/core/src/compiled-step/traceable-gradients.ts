import * as tf from '@tensorflow/tfjs-core';

/**
 * Kernels whose registered gradient may compute outside the kernel registry: nntk's wasm ReLU gradient
 * is one heap pass that wraps its result in a Tensor without dispatching a kernel, which a kernel trace
 * cannot replay. While a step is traced, these gradients are dispatched as one registered kernel each
 * (running the very same gradient function), so the replay runs them too.
 */
const HOST_GRADIENTS = ['Relu'];

/** The name prefix of those gradient kernels (their replay passes real Tensors, as the engine does). */
export const GRADIENT_KERNEL_PREFIX = 'NntkTracedGradient_';

const kernelNames = new Map<tf.GradFunc, string>();

/** The registered kernel that runs `gradFunc`'s gradient for one input (registered on first use). */
function gradientKernel(gradFunc: tf.GradFunc, forward: string): string {
  let name = kernelNames.get(gradFunc);
  if (!name) {
    name = `${GRADIENT_KERNEL_PREFIX}${forward}_${kernelNames.size}`;
    kernelNames.set(gradFunc, name);
  }
  const backendName = tf.getBackend();
  if (!tf.getKernel(name, backendName)) {
    tf.registerKernel({
      kernelName: name,
      backendName,
      kernelFunc: ({ inputs, attrs }) => runGradient(gradFunc, inputs, attrs),
    });
  }
  return name;
}

function tensorsNamed(inputs: tf.NamedTensorInfoMap, prefix: string): tf.Tensor[] {
  const list: tf.Tensor[] = [];
  for (let i = 0; inputs[`${prefix}${i}`] !== undefined; i++) {
    const t = inputs[`${prefix}${i}`];
    if (t instanceof tf.Tensor) list.push(t);
  }
  return list;
}

function runGradient(
  gradFunc: tf.GradFunc,
  inputs: tf.NamedTensorInfoMap,
  attrs?: tf.NamedAttrMap,
): tf.Tensor {
  const dys = tensorsNamed(inputs, 'dy');
  const saved = tensorsNamed(inputs, 'saved');
  const forwardAttrs = (attrs?.forward ?? {}) as tf.NamedAttrMap;
  const input = String(attrs?.input);
  return tf.tidy(() => {
    const out = gradFunc(attrs?.multi ? dys : dys[0], saved, forwardAttrs)[input]();
    return dys.includes(out) || saved.includes(out) ? tf.clone(out) : out;
  });
}

function dispatching(gradFunc: tf.GradFunc, forward: string): tf.GradFunc {
  return (dy, saved, attrs) => {
    const dys = Array.isArray(dy) ? dy : [dy];
    const inputs: tf.NamedTensorMap = {};
    dys.forEach((d, i) => {
      inputs[`dy${i}`] = d;
    });
    saved.forEach((s, i) => {
      inputs[`saved${i}`] = s;
    });
    const kernel = gradientKernel(gradFunc, forward);
    const names = Object.keys(gradFunc(dy, saved, attrs));
    return Object.fromEntries(
      names.map((input) => [
        input,
        () =>
          tf.engine().runKernel(kernel, inputs, {
            input,
            multi: Array.isArray(dy),
            forward: attrs ?? {},
          }) as tf.Tensor,
      ]),
    );
  };
}

/**
 * Routes the {@link HOST_GRADIENTS} through registered kernels until the returned function is called.
 * The gradient values are those of the same gradient functions, so eager and traced steps agree bit for bit.
 */
export function dispatchHostGradients(): () => void {
  const restore: Array<() => void> = [];
  for (const forward of HOST_GRADIENTS) {
    const config = tf.getGradient(forward);
    if (!config) continue;
    const original = config.gradFunc;
    config.gradFunc = dispatching(original, forward);
    restore.push(() => {
      config.gradFunc = original;
    });
  }
  return () => {
    for (const undo of restore) undo();
  };
}
