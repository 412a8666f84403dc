import { check } from '@nntk/core';

export interface ScaleLrByDepthOptions {
  /**
   * `'inverseSqrt'`: `lr·√(ref/depth)` (keeps the summed update of `depth` residual branches at a
   * constant scale when branch updates are independent); `'inverse'`: `lr·ref/depth` (when they are
   * correlated, the worst case); `'none'`: unchanged. Default `'inverseSqrt'`.
   */
  rule?: 'inverseSqrt' | 'inverse' | 'none';
  /** The depth at which `lr` was tuned. Default 1. */
  referenceDepth?: number;
}

/**
 * Scales a learning rate tuned at `referenceDepth` to a network of `depth` residual blocks, for depth
 * studies of residual networks (the Fixup and ReZero papers train deep stacks at rates that would make
 * the summed branch updates grow with depth otherwise).
 */
export function scaleLrByDepth(lr: number, depth: number, options: ScaleLrByDepthOptions = {}): number {
  check.positive('scaleLrByDepth', 'lr', lr);
  check.integer('scaleLrByDepth', 'depth', depth, 1);
  const reference = check.integer('scaleLrByDepth', 'referenceDepth', options.referenceDepth ?? 1, 1);
  const rule = check.oneOf('scaleLrByDepth', 'rule', options.rule ?? 'inverseSqrt', [
    'inverseSqrt',
    'inverse',
    'none',
  ]);
  const ratio = reference / depth;
  if (rule === 'none') return lr;
  return rule === 'inverse' ? lr * ratio : lr * Math.sqrt(ratio);
}
