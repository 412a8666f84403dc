const inPlaceKernels = new Set<string>();

/**
 * Declares that the kernel `kernelName` may write an input's buffer in place and hand that same buffer
 * back as one of its outputs (as `@nntk/backend-wasm`'s fused optimizer updates do with the optimizer
 * state). A compiled step then never drops a call of it as dead code, keeps the calls in their traced
 * order, and treats a variable whose buffer such an output returns as written by the step (so a replay
 * assigns it the output, which is the variable's own buffer when the kernel wrote in place, or a copy
 * when the buffer was shared). Kernels not declared here that return an input's buffer (Identity,
 * Reshape) are aliases, never writes.
 */
export function registerInPlaceKernel(kernelName: string): void {
  inPlaceKernels.add(kernelName);
}

/** Whether `kernelName` was declared with {@link registerInPlaceKernel}. */
export function isInPlaceKernel(kernelName: string): boolean {
  return inPlaceKernels.has(kernelName);
}
