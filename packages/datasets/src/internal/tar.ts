/** The regular files of an (uncompressed) ustar archive, by path. */
export function readTar(archive: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const decoder = new TextDecoder();
  const field = (offset: number, length: number) =>
    decoder
      .decode(archive.subarray(offset, offset + length))
      .replace(/\0.*$/s, '')
      .trim();
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const name = field(offset, 100);
    if (!name) break;
    const prefix = field(offset + 345, 155);
    const size = Number.parseInt(field(offset + 124, 12) || '0', 8);
    const type = String.fromCharCode(archive[offset + 156]);
    const start = offset + 512;
    if (type === '0' || type === '\0')
      files.set(prefix ? `${prefix}/${name}` : name, archive.subarray(start, start + size));
    offset = start + Math.ceil(size / 512) * 512;
  }
  return files;
}
