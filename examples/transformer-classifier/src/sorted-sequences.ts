import { Rng } from '@nntk/core';

/** The generated task: token sequences, padded with 0 to `maxLength`, labelled 1 when non-decreasing. */
export interface SortedSequences {
  /** `n × maxLength` token ids in 1…vocabulary, 0 after each sequence's end. */
  ids: Int32Array;
  /** 1 (sorted) or 0. */
  labels: Int32Array;
  n: number;
  maxLength: number;
}

export interface SortedSequencesOptions {
  n: number;
  seed: number;
  /** Tokens are 1…vocabulary (0 is padding). */
  vocabulary: number;
  minLength: number;
  maxLength: number;
}

/**
 * "Is this sequence sorted?": half the examples are sorted (non-decreasing) random sequences of random
 * length; the other half are the same kind of sequence made unsorted, half of them by swapping just two
 * unequal tokens (a near miss) and half by a random shuffle. Each unsorted sequence holds the same multiset
 * of tokens as a sorted one, so the label depends only on the order: a model without positional
 * information, which sees a bag of tokens, cannot beat 50%.
 */
export function sortedSequences(options: SortedSequencesOptions): SortedSequences {
  const { n, vocabulary, minLength, maxLength } = options;
  const rng = new Rng(options.seed);
  const ids = new Int32Array(n * maxLength);
  const labels = new Int32Array(n);
  const below = (k: number) => rng.randint(k);
  for (let i = 0; i < n; i++) {
    const length = minLength + below(maxLength - minLength + 1);
    let row = Array.from({ length }, () => 1 + below(vocabulary)).sort((a, b) => a - b);
    while (row[0] === row[length - 1]) row = row.map(() => 1 + below(vocabulary)).sort((a, b) => a - b);
    const sorted = i % 2 === 0;
    if (!sorted) {
      if (i % 4 === 1) {
        let a = below(length);
        let b = below(length);
        while (row[a] === row[b]) [a, b] = [below(length), below(length)];
        [row[a], row[b]] = [row[b], row[a]];
      } else {
        do {
          for (let j = length - 1; j > 0; j--) {
            const k = below(j + 1);
            [row[j], row[k]] = [row[k], row[j]];
          }
        } while (row.every((v, j) => j === 0 || row[j - 1] <= v));
      }
    }
    ids.set(row, i * maxLength);
    labels[i] = sorted ? 1 : 0;
  }
  return { ids, labels, n, maxLength };
}
