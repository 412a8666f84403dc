import { mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyCheckpoint,
  disposeCheckpoint,
  lastCheckpointDirectory,
  loadCheckpoint,
  readCheckpoint,
} from './index';
import { tinyRun, useCpu } from './test-support/tiny-run';

let dir: string;
let runDir: string;
let last: string;
let validState: Record<string, unknown>;
let validModel: Buffer;
let validOptimizer: Buffer;

beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(join(tmpdir(), 'nntk-ckpt-load-'));
  runDir = join(dir, 'run');
  const run = tinyRun(runDir);
  await run.trainer.fit(run.train, { epochs: 1 });
  run.model.dispose();
  last = lastCheckpointDirectory(runDir);
  validState = JSON.parse(await readFile(join(last, 'state.json'), 'utf8'));
  validModel = await readFile(join(last, 'model.safetensors'));
  validOptimizer = await readFile(join(last, 'optimizer.safetensors'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function restoreValid(): Promise<void> {
  await writeFile(join(last, 'state.json'), JSON.stringify(validState));
  await writeFile(join(last, 'model.safetensors'), validModel);
  await writeFile(join(last, 'optimizer.safetensors'), validOptimizer);
}

/** Resumes the run in a fresh trainer; returns the error (or undefined when it resumed). */
async function resumeError(): Promise<NntkError | undefined> {
  const run = tinyRun(runDir);
  try {
    await run.trainer.fit(run.train, { epochs: 1, resumeFrom: 'last' });
    return undefined;
  } catch (error) {
    if (!(error instanceof NntkError)) throw error;
    return error;
  } finally {
    run.model.dispose();
  }
}

describe('resume validates state.json and every checkpoint file (issue 18)', () => {
  const cases: [string, (s: Record<string, unknown>) => unknown, RegExp][] = [
    ['null', () => null, /\(root\): Expected object, received null/],
    ['a history that is a number', (s) => ({ ...s, history: 3 }), /history: Expected object/],
    ['an epoch of "abc"', (s) => ({ ...s, epoch: 'abc' }), /epoch: Expected number, received string/],
    ['an epoch of -5', (s) => ({ ...s, epoch: -5 }), /epoch: Number must be greater than or equal to 0/],
    ['an unknown key', (s) => ({ ...s, epochz: 1 }), /Unrecognized key\(s\) in object: 'epochz'/],
    [
      'a renamed optimizer-state key',
      (s) => {
        const { paramGroups, ...rest } = s.optimizer as Record<string, unknown>;
        return { ...s, optimizer: { ...rest, groups: paramGroups } };
      },
      /optimizer state in .* does not fit Adam|parameter groups/,
    ],
  ];
  for (const [what, mutate, message] of cases) {
    it(`${what}: a typed NntkError naming the checkpoint`, async () => {
      await restoreValid();
      await writeFile(join(last, 'state.json'), JSON.stringify(mutate(structuredClone(validState))));
      const error = await resumeError();
      expect(['CORRUPT_CHECKPOINT', 'STATE_DICT_MISMATCH']).toContain(error?.code);
      expect(error?.message).toMatch(message);
      expect(error?.message).toContain(last);
    });
  }

  it('a missing and a truncated optimizer file give the same code', async () => {
    await restoreValid();
    await unlink(join(last, 'optimizer.safetensors'));
    const missing = await resumeError();
    await restoreValid();
    await truncate(join(last, 'optimizer.safetensors'), 100);
    const truncated = await resumeError();
    expect(missing?.code).toBe('CORRUPT_CHECKPOINT');
    expect(truncated?.code).toBe('CORRUPT_CHECKPOINT');
    expect(missing?.message).toContain('optimizer.safetensors is missing');
    expect(truncated?.message).toContain('does not match state.json');
  });

  it('a missing state.json is "nothing to resume", never a silent fresh start', async () => {
    await restoreValid();
    await unlink(join(last, 'state.json'));
    const error = await resumeError();
    expect(error?.code).toBe('FILE_NOT_FOUND');
    expect(error?.message).toContain('nothing to resume from');
    await restoreValid();
    expect(await resumeError()).toBeUndefined();
  });

  describe('fuzzed (fast-check): every damaged checkpoint loads or ends in a typed NntkError', () => {
    /** A model and optimizer that already hold a loaded state, so a successful load adds no tensors. */
    const target = async () => {
      const run = tinyRun(undefined);
      await restoreValid();
      const valid = await readCheckpoint(last);
      applyCheckpoint(valid, run.model, run.optimizer);
      const baseline = tf.memory().numTensors;
      /** Puts the valid state back and checks that nothing leaked. */
      const reset = () => {
        applyCheckpoint(valid, run.model, run.optimizer);
        expect(tf.memory().numTensors).toBe(baseline);
      };
      const done = () => {
        disposeCheckpoint(valid);
        run.model.dispose();
      };
      return { ...run, reset, done };
    };

    it('state.json with random values at random paths, or cut short', async () => {
      const paths = [
        [],
        ['epoch'],
        ['globalStep'],
        ['history'],
        ['history', 'epochs'],
        ['rng'],
        ['rng', 's'],
        ['loader'],
        ['loader', 'position'],
        ['scheduler'],
        ['optimizer'],
        ['optimizer', 'paramGroups'],
        ['optimizer', 'state'],
        ['callbacks'],
        ['inEpoch'],
        ['files'],
        ['optimizerClass'],
      ];
      const { model, optimizer, reset, done } = await target();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({ path: fc.constantFrom(...paths), value: fc.anything({ maxDepth: 2 }) }),
            fc.nat(JSON.stringify(validState).length),
          ),
          async (mutation) => {
            let text: string;
            if (typeof mutation === 'number') text = JSON.stringify(validState).slice(0, mutation);
            else {
              const state = structuredClone(validState) as Record<string, unknown>;
              if (mutation.path.length === 0) text = JSON.stringify(mutation.value) ?? '';
              else {
                let at = state as Record<string, unknown>;
                for (const key of mutation.path.slice(0, -1)) at = (at[key] ?? {}) as Record<string, unknown>;
                at[mutation.path[mutation.path.length - 1]] = mutation.value;
                text = JSON.stringify(state);
              }
            }
            await writeFile(join(last, 'state.json'), text);
            await loadCheckpoint(last, model, optimizer).catch((error) => {
              expect(error).toBeInstanceOf(NntkError);
            });
            reset();
          },
        ),
        { numRuns: 600 },
      );
      done();
    });

    it('tensor files with flipped, cut or spliced bytes (digests dropped, so the decoder sees them)', async () => {
      const { files: _files, ...undigested } = validState;
      await writeFile(join(last, 'state.json'), JSON.stringify({ ...undigested, version: 1 }));
      const { model, optimizer, reset, done } = await target();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('model.safetensors', 'optimizer.safetensors'),
          fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 3 }),
          fc.option(fc.nat()),
          async (name, flips, cut) => {
            const bytes = Buffer.from(name === 'model.safetensors' ? validModel : validOptimizer);
            for (const [at, v] of flips) bytes[at % bytes.length] = v;
            const damaged = cut === null ? bytes : bytes.subarray(0, cut % bytes.length);
            await writeFile(join(last, name), damaged);
            try {
              const contents = await readCheckpoint(last);
              try {
                applyCheckpoint(contents, model, optimizer);
              } catch (error) {
                expect(error).toBeInstanceOf(NntkError);
              } finally {
                disposeCheckpoint(contents);
              }
            } catch (error) {
              expect(error).toBeInstanceOf(NntkError);
            }
            reset();
            await writeFile(join(last, name), name === 'model.safetensors' ? validModel : validOptimizer);
          },
        ),
        { numRuns: 500 },
      );
      done();
    });
  });
});
