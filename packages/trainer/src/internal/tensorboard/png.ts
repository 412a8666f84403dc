/**
 * PNG encoding of 8-bit RGB/RGBA/grey pixels (row-major, interleaved) with node:zlib, loaded lazily so
 * browser bundles of the package never see it. Rows are filtered as Pillow does (None, Up, Sub, Paeth:
 * the one with the smallest sum of |signed bytes|, first wins ties), compressed with zlib level 6.
 */
const COLOR_TYPE: Record<number, number> = { 1: 0, 2: 4, 3: 2, 4: 6 };

function cost(row: Uint8Array): number {
  let s = 0;
  for (const v of row) s += v < 128 ? v : 256 - v;
  return s;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function filterRow(row: Uint8Array, prior: Uint8Array, bpp: number): [number, Uint8Array] {
  let best: [number, Uint8Array] = [0, row];
  let bestCost = cost(row);
  const candidates: [number, (i: number) => number][] = [
    [2, (i) => row[i] - prior[i]],
    [1, (i) => row[i] - (i >= bpp ? row[i - bpp] : 0)],
    [4, (i) => row[i] - paeth(i >= bpp ? row[i - bpp] : 0, prior[i], i >= bpp ? prior[i - bpp] : 0)],
  ];
  for (const [type, f] of candidates) {
    if (bestCost === 0) break;
    const out = Uint8Array.from(row, (_, i) => f(i) & 0xff);
    const c = cost(out);
    if (c < bestCost) {
      best = [type, out];
      bestCost = c;
    }
  }
  return best;
}

function chunk(type: string, data: Uint8Array, crc32: (d: Uint8Array) => number): Uint8Array {
  const out = new Uint8Array(data.length + 12);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Encodes `height × width × channels` bytes (channels 1, 2, 3 or 4) as a PNG file. */
export async function encodePng(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: number,
): Promise<Uint8Array> {
  const { deflateSync } = await import('node:zlib');
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1));
  let prior: Uint8Array = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row: Uint8Array = pixels.subarray(y * stride, (y + 1) * stride);
    const [type, filtered] = filterRow(row, prior, channels);
    raw[y * (stride + 1)] = type;
    raw.set(filtered, y * (stride + 1) + 1);
    prior = row;
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, COLOR_TYPE[channels], 0, 0, 0], 8);
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header, crc32),
    chunk('IDAT', new Uint8Array(deflateSync(raw, { level: 6 })), crc32),
    chunk('IEND', new Uint8Array(0), crc32),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
