import type * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from './atomic-write';
import { NntkError } from './errors';
import { ioError } from './io-error';
import { decodeSafetensors, encodeSafetensors, type SafetensorsContent } from './safetensors';

/**
 * Saves tensors (and an optional string map of metadata) to a `.safetensors` file, atomically (temp file
 * + rename). The file reads in PyTorch with `safetensors.torch.load_file`. Node only.
 */
export async function saveSafetensors(
  path: string,
  tensors: Record<string, tf.Tensor>,
  metadata?: Record<string, string>,
): Promise<void> {
  await writeFileAtomic(path, await encodeSafetensors(tensors, metadata));
}

/** Loads a `.safetensors` file; the caller owns (and disposes) the returned tensors. Node only. */
export async function loadSafetensors(path: string): Promise<SafetensorsContent> {
  const fs = await import('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new NntkError('FILE_NOT_FOUND', `loadSafetensors: no file at ${path}`, { cause: error });
    }
    throw ioError('loadSafetensors', path, error);
  }
  try {
    return decodeSafetensors(bytes);
  } catch (error) {
    if (NntkError.isInstance(error)) {
      throw new NntkError(error.code, `${error.message} (file: ${path})`, { cause: error });
    }
    throw error;
  }
}
