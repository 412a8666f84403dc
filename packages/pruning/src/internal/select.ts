/** Indices of `values` sorted ascending by `key`, ties by index (a stable, documented rule). */
export function sortedBy(indices: number[], key: (index: number) => number, descending = false): number[] {
  const sign = descending ? -1 : 1;
  return [...indices].sort((a, b) => sign * (key(a) - key(b)) || a - b);
}

/** The channel (index along `dim`) of each flat element, for a row-major tensor of `shape`. */
export function channelOf(shape: readonly number[], dim: number): (flat: number) => number {
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const channels = shape[dim];
  return (flat) => Math.floor(flat / inner) % channels;
}

/** Channels along `dim` whose mask is not entirely zero (PyTorch's `keep_channel`). */
export function aliveChannels(mask: Float32Array, shape: readonly number[], dim: number): number[] {
  const channel = channelOf(shape, dim);
  const sums = new Float64Array(shape[dim]);
  for (let i = 0; i < mask.length; i++) sums[channel(i)] += mask[i];
  return [...sums.keys()].filter((c) => sums[c] !== 0);
}

/** The L_n norm of each channel along `dim` over all other axes (`torch.norm(t, p=n, dim=others)`). */
export function channelNorms(
  values: Float32Array | Float64Array,
  shape: readonly number[],
  dim: number,
  n: number,
): Float64Array {
  const channel = channelOf(shape, dim);
  const count = shape[dim];
  const acc = new Float64Array(count).fill(n === Infinity ? 0 : n === -Infinity ? Infinity : 0);
  for (let i = 0; i < values.length; i++) {
    const c = channel(i);
    const a = Math.abs(values[i]);
    if (n === Infinity) acc[c] = Math.max(acc[c], a);
    else if (n === -Infinity) acc[c] = Math.min(acc[c], a);
    else if (n === 0) acc[c] += a !== 0 ? 1 : 0;
    else acc[c] += a ** n;
  }
  if (n !== Infinity && n !== -Infinity && n !== 0) for (let c = 0; c < count; c++) acc[c] **= 1 / n;
  return acc;
}

/** Zeroes every element of `mask` whose channel along `dim` is in `channels`. */
export function zeroChannels(mask: Float32Array, shape: readonly number[], dim: number, channels: number[]) {
  const channel = channelOf(shape, dim);
  const drop = new Set(channels);
  for (let i = 0; i < mask.length; i++) if (drop.has(channel(i))) mask[i] = 0;
}
