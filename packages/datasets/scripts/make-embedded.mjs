#!/usr/bin/env node
// Writes the embedded Fashion-MNIST subset shipped in data/: the first 6,000 training and the first
// 1,000 test images and labels of the official gzip IDX files, in the same IDX format.
// Usage: node scripts/make-embedded.mjs <directory with the official Fashion-MNIST files>
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const source = process.argv[2] ?? '../../../shared/data/fashion-mnist';
const out = new URL('../data/', import.meta.url).pathname;
const subsets = { train: 6000, t10k: 1000 };

function subset(file, count, bytesPerItem, headerBytes) {
  const raw = gunzipSync(readFileSync(join(source, file)));
  const head = Buffer.from(raw.subarray(0, headerBytes));
  head.writeUInt32BE(count, 4);
  return Buffer.concat([head, raw.subarray(headerBytes, headerBytes + count * bytesPerItem)]);
}

const manifest = {};
for (const [prefix, count] of Object.entries(subsets)) {
  for (const [kind, bytes, header] of [
    ['images-idx3-ubyte', 784, 16],
    ['labels-idx1-ubyte', 1, 8],
  ]) {
    const name = `${prefix}-${kind}.gz`;
    const data = gzipSync(subset(name, count, bytes, header), { level: 9 });
    writeFileSync(join(out, name), data);
    manifest[name] = createHash('md5').update(data).digest('hex');
  }
}
writeFileSync(
  join(out, 'manifest.json'),
  `${JSON.stringify({ source: 'Fashion-MNIST (Xiao et al. 2017), official gzip IDX files', subsets, md5: manifest }, null, 2)}\n`,
);
console.log(manifest);
