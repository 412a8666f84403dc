import { NntkError } from '@nntk/core';
import { z } from 'zod';

const count = z.number().int().nonnegative();
const logValue = z.union([z.number(), z.null()]);

const fileDigest = z.object({ bytes: count, sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

/** The zod schema of a checkpoint's `state.json` (version 1 without file digests still loads). */
export const checkpointStateSchema = z
  .object({
    format: z.literal('nntk-checkpoint'),
    version: z.union([z.literal(1), z.literal(2)]),
    epoch: count,
    globalStep: count,
    optimizerClass: z.string().min(1),
    optimizer: z.record(z.unknown()),
    rng: z
      .object({
        algorithm: z.literal('xoshiro128**'),
        s: z.tuple([count, count, count, count]),
        spare: z.number().nullable(),
      })
      .strict(),
    loader: z.object({ seed: count, epoch: count, position: count }).strict().optional(),
    scheduler: z.unknown().optional(),
    callbacks: z.record(z.record(z.unknown())).default({}),
    history: z.object({ epochs: z.array(z.record(logValue)) }).strict(),
    inEpoch: z
      .object({
        batch: count,
        lossSum: z.number(),
        samples: count,
        skippedSteps: count.default(0),
        metrics: z
          .object({ matrix: z.array(z.array(z.number())) })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    accumulator: z
      .object({ count: count, sums: z.record(z.object({ $tensor: z.string() }).strict()) })
      .strict()
      .optional(),
    files: z
      .object({ 'model.safetensors': fileDigest, 'optimizer.safetensors': fileDigest })
      .strict()
      .optional(),
  })
  .strict();

export type ParsedCheckpointState = z.infer<typeof checkpointStateSchema>;

/** Parses `state.json` text against the schema; every problem names its path in the file. */
export function parseCheckpointState(text: string, path: string): ParsedCheckpointState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new NntkError(
      'CORRUPT_CHECKPOINT',
      `loadCheckpoint: ${path} is not valid JSON (${(error as Error).message})`,
      { cause: error },
    );
  }
  const result = checkpointStateSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new NntkError(
    'CORRUPT_CHECKPOINT',
    `loadCheckpoint: ${path} is not a valid nntk checkpoint state (${problems.join('; ')})`,
  );
}
