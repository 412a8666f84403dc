import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NntkError } from '@nntk/core';

/** A file of a data set: its official name, where to fetch it, and its md5. */
export interface RemoteFile {
  name: string;
  url: string;
  md5: string;
}

export async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Progress of a download, for a progress display. */
export type DownloadProgress = (file: string, received: number, total: number | undefined) => void;

/**
 * Downloads `file` into `path`: into `path.part` first (resuming a partial file with an HTTP Range
 * request), then checks the md5 and renames into place, so a crash never leaves a wrong file under the
 * real name.
 */
export async function downloadFile(
  file: RemoteFile,
  path: string,
  onProgress?: DownloadProgress,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.part`;
  const have = existsSync(partial) ? (await stat(partial)).size : 0;
  const response = await fetch(file.url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {} });
  if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} for ${file.url}`);
  const resumed = response.status === 206;
  const total = Number(response.headers.get('content-length') ?? Number.NaN) + (resumed ? have : 0);
  let received = resumed ? have : 0;
  const out = createWriteStream(partial, { flags: resumed ? 'a' : 'w' });
  try {
    const reader = response.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      if (!out.write(chunk.value)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      received += chunk.value.length;
      onProgress?.(file.name, received, Number.isFinite(total) ? total : undefined);
    }
  } finally {
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }
  const digest = await md5Of(partial);
  if (digest !== file.md5) {
    await rm(partial, { force: true });
    throw new NntkError(
      'CORRUPT_DATA',
      `${file.name}: downloaded md5 ${digest} does not match the expected ${file.md5}`,
    );
  }
  await rename(partial, path);
}
