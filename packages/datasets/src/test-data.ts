// Test helper (not exported): where the full official data files are, when a checkout has them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const OFFICIAL_FILES = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];

/** The directory of the subset embedded in this package (the first 6,000 / 1,000 Fashion-MNIST images). */
export const EMBEDDED_DIR = new URL('../data/', import.meta.url).pathname;

/**
 * The directory holding all four official files of `name` (`fashion-mnist`, `mnist`): under
 * `NNTK_DATA_DIR`, else the repository's `../shared/data`; undefined when neither has them (a fresh
 * clone), so the tests needing them run only where the files are.
 */
export function fullDataDir(name: 'fashion-mnist' | 'mnist'): string | undefined {
  const roots = [process.env.NNTK_DATA_DIR, new URL('../../../../shared/data/', import.meta.url).pathname];
  for (const root of roots) {
    if (!root) continue;
    const dir = join(root, name);
    if (OFFICIAL_FILES.every((file) => existsSync(join(dir, file)))) return dir;
  }
  return undefined;
}
