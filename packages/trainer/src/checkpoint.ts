import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  decodeSafetensors,
  encodeSafetensors,
  ioError,
  type Module,
  NntkError,
  type SafetensorsContent,
  splitStateTensors,
  writeFileAtomic,
} from '@nntk/core';
import type { Optimizer } from '@nntk/optim';
import type * as tf from '@tensorflow/tfjs-core';
import {
  applyCheckpoint,
  type CheckpointContents,
  type CheckpointFsStep,
  type CheckpointParts,
  type CheckpointState,
  disposeCheckpoint,
  type FoundCheckpoint,
  type SaveCheckpointOptions,
} from './checkpoint-contents';
import { parseCheckpointState } from './internal/checkpoint-schema';

const TENSOR_FILES = ['model.safetensors', 'optimizer.safetensors'] as const;
/** The key prefix of a pending gradient-accumulation window's sums in optimizer.safetensors. */
const ACCUMULATOR_PREFIX = '__accumulator__';
let stagingCounter = 0;

/** The directory that holds the previous checkpoint while a new one is switched in. */
export function previousCheckpointDirectory(directory: string): string {
  return `${directory}.previous`;
}

function digest(bytes: Uint8Array): { bytes: number; sha256: string } {
  return { bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a checkpoint directory (`model.safetensors`, `optimizer.safetensors`, `state.json` with the
 * size and SHA-256 of both tensor files) with no moment at which no complete checkpoint exists:
 *
 * 1. everything is written to `<dir>.staging-<pid>-<n>` and fsynced (files and directory);
 * 2. the current `<dir>` is renamed to `<dir>.previous` (a stale `.previous` next to a complete
 *    `<dir>` is removed first);
 * 3. the staging directory is renamed to `<dir>` and the parent directory fsynced;
 * 4. `<dir>.previous` is removed.
 *
 * A kill at any point leaves `<dir>` or `<dir>.previous` complete; {@link findCheckpoint} picks the
 * newest valid one, {@link removeStaleStaging} deletes half-written staging directories. An I/O error
 * (a full disk) removes the staging directory, puts the previous checkpoint back and raises an
 * `IO_ERROR` NntkError naming the file and the cause.
 */
export async function saveCheckpoint(
  directory: string,
  parts: CheckpointParts,
  options: SaveCheckpointOptions = {},
): Promise<void> {
  const step = async (name: CheckpointFsStep) => options.onFsStep?.(name, directory);
  stagingCounter += 1;
  const staging = `${directory}.staging-${process.pid}-${stagingCounter}`;
  const previous = previousCheckpointDirectory(directory);
  const { json, tensors } = splitStateTensors(parts.optimizer.stateDict());
  const pending = parts.accumulator && parts.accumulator.count > 0 ? parts.accumulator : undefined;
  const accumulator = pending ? splitStateTensors(pending, ACCUMULATOR_PREFIX) : undefined;
  let model: Uint8Array;
  let optimizer: Uint8Array;
  try {
    model = await encodeSafetensors(parts.model.stateDict(), { format: 'pt' });
    optimizer = await encodeSafetensors({ ...tensors, ...accumulator?.tensors });
  } finally {
    for (const t of Object.values(tensors) as tf.Tensor[]) t.dispose();
    for (const t of Object.values(parts.accumulator?.sums ?? {})) t.dispose();
  }
  let switched = false;
  try {
    await mkdir(staging, { recursive: true });
    await writeFileAtomic(join(staging, 'model.safetensors'), model);
    await step('staging-model-written');
    await writeFileAtomic(join(staging, 'optimizer.safetensors'), optimizer);
    await step('staging-optimizer-written');
    const state = {
      format: 'nntk-checkpoint',
      version: 2,
      optimizerClass: parts.optimizer.name,
      optimizer: json,
      ...parts.state,
      accumulator: accumulator?.json,
      files: { 'model.safetensors': digest(model), 'optimizer.safetensors': digest(optimizer) },
    };
    await writeFileAtomic(join(staging, 'state.json'), JSON.stringify(state));
    await step('staging-state-written');
    await syncDirectory(staging);
    await step('staging-synced');
    if (existsSync(directory) && existsSync(previous)) {
      await rm(previous, { recursive: true, force: true });
      await step('stale-previous-removed');
    }
    if (existsSync(directory)) {
      await rename(directory, previous);
      await step('current-moved-aside');
    }
    await rename(staging, directory);
    switched = true;
    await step('staging-moved-in');
    await syncDirectory(dirname(directory));
    await step('parent-synced');
    await rm(previous, { recursive: true, force: true });
    await step('previous-removed');
  } catch (error) {
    if (!switched) {
      await rm(staging, { recursive: true, force: true }).catch(() => undefined);
      if (!existsSync(directory) && existsSync(previous))
        await rename(previous, directory).catch(() => undefined);
    }
    throw ioError('saveCheckpoint', directory, error, 'write');
  }
}

/** Removes half-written `<dir>.staging-*` directories left by killed writes. Returns what it removed. */
export async function removeStaleStaging(directory: string): Promise<string[]> {
  const parent = dirname(directory);
  if (!existsSync(parent)) return [];
  const prefix = `${basename(directory)}.staging-`;
  const stale = (await readdir(parent)).filter((name) => name.startsWith(prefix)).map((n) => join(parent, n));
  for (const path of stale) await rm(path, { recursive: true, force: true });
  return stale;
}

async function readCheckpointFile(directory: string, name: string): Promise<Uint8Array> {
  const path = join(directory, name);
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT')
      throw new NntkError('CORRUPT_CHECKPOINT', `loadCheckpoint: ${path} is missing (incomplete checkpoint)`);
    throw ioError('loadCheckpoint', path, error);
  }
}

/**
 * Reads and validates a checkpoint directory without touching any model: `state.json` against its
 * schema, each tensor file against the size and SHA-256 recorded in it, and the safetensors layout. The
 * caller disposes the tensors (see {@link disposeCheckpoint}).
 */
export async function readCheckpoint(directory: string): Promise<CheckpointContents> {
  const statePath = join(directory, 'state.json');
  if (!existsSync(statePath)) {
    throw new NntkError(
      'FILE_NOT_FOUND',
      `loadCheckpoint: ${directory} is not an nntk checkpoint (no state.json). Checkpoints are directories written by the Trainer or ModelCheckpoint.`,
    );
  }
  const state = parseCheckpointState(
    (await readCheckpointFile(directory, 'state.json')).toString(),
    statePath,
  );
  const decoded: SafetensorsContent[] = [];
  try {
    for (const name of TENSOR_FILES) {
      const bytes = await readCheckpointFile(directory, name);
      const expected = state.files?.[name];
      if (expected) {
        const actual = digest(bytes);
        if (actual.bytes !== expected.bytes || actual.sha256 !== expected.sha256) {
          throw new NntkError(
            'CORRUPT_CHECKPOINT',
            `loadCheckpoint: ${join(directory, name)} does not match state.json (${actual.bytes} bytes, sha256 ${actual.sha256.slice(0, 12)}…; expected ${expected.bytes} bytes, ${expected.sha256.slice(0, 12)}…)`,
          );
        }
      }
      try {
        decoded.push(decodeSafetensors(bytes));
      } catch (error) {
        throw new NntkError(
          'CORRUPT_CHECKPOINT',
          `loadCheckpoint: ${join(directory, name)}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
  } catch (error) {
    for (const content of decoded) for (const t of Object.values(content.tensors)) t.dispose();
    throw error;
  }
  return { directory, state, model: decoded[0], optimizer: decoded[1] };
}

/**
 * The newest valid checkpoint among `<dir>` and `<dir>.previous` (the one a killed switch may have left),
 * by global step; `undefined` when neither exists. Invalid candidates are listed in `skipped`; when all
 * are invalid the first one's error is raised.
 */
export async function findCheckpoint(directory: string): Promise<FoundCheckpoint | undefined> {
  const candidates = [directory, previousCheckpointDirectory(directory)].filter((d) =>
    existsSync(join(d, 'state.json')),
  );
  const valid: CheckpointContents[] = [];
  const skipped: { directory: string; reason: string }[] = [];
  const errors: unknown[] = [];
  for (const candidate of candidates) {
    try {
      valid.push(await readCheckpoint(candidate));
    } catch (error) {
      errors.push(error);
      skipped.push({ directory: candidate, reason: (error as Error).message });
    }
  }
  if (valid.length === 0) {
    if (errors.length > 0) throw errors[0];
    return undefined;
  }
  valid.sort((a, b) => b.state.globalStep - a.state.globalStep);
  for (const extra of valid.slice(1)) {
    disposeCheckpoint(extra);
    skipped.push({ directory: extra.directory, reason: `older (step ${extra.state.globalStep})` });
  }
  return { contents: valid[0], skipped };
}

/**
 * Loads a checkpoint into a model and an optimizer of the same architecture and class, and returns the
 * JSON state. Missing files, another architecture (the mismatched keys are listed), another optimizer or
 * contents that fail validation raise `NntkError`s that say what differs.
 */
export async function loadCheckpoint(
  directory: string,
  model: Module,
  optimizer: Optimizer,
): Promise<CheckpointState> {
  const contents = await readCheckpoint(directory);
  try {
    applyCheckpoint(contents, model, optimizer);
  } finally {
    disposeCheckpoint(contents);
  }
  return contents.state;
}
