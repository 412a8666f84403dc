import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { NntkError } from '@nntk/core';
import { assertSafeKeyPath } from '@nntk/runs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { didYouMean } from './internal/did-you-mean';

const positive = z
  .number({ invalid_type_error: 'expected a positive number' })
  .positive('expected a positive number');
const count = z
  .number({ invalid_type_error: 'expected a positive integer' })
  .int('expected a positive integer')
  .positive('expected a positive integer');

export const configSchema = z
  .object({
    backend: z.enum(['cpu', 'wasm', 'node', 'node-gpu', 'webgl', 'webgpu']).optional(),
    seed: z.number().int().nonnegative().default(0),
    data: z
      .object({
        name: z.enum([
          'embedded-fashion-mnist',
          'fashion-mnist',
          'mnist',
          'cifar10',
          'spirals',
          'moons',
          'blobs',
          'manifold',
        ]),
        root: z.string().optional(),
        download: z.boolean().default(false),
        batchSize: count.default(64),
        valBatchSize: count.default(256),
        /** Use only the first n training examples (quick runs). */
        limit: count.optional(),
        /** Hold out this fraction of the training set for validation; the test split is then reported apart. */
        valSplit: z
          .number()
          .gt(0, 'expected a fraction in (0, 1)')
          .lt(1, 'expected a fraction in (0, 1)')
          .optional(),
        options: z.record(z.unknown()).default({}),
      })
      .strict(),
    model: z.object({ name: z.enum(['mlp', 'vgg', 'deepfcnet']) }).passthrough(),
    optimizer: z
      .object({
        name: z.enum([
          'sgd',
          'adam',
          'adamw',
          'adamax',
          'nadam',
          'radam',
          'rmsprop',
          'adagrad',
          'adadelta',
          'lion',
          'lamb',
        ]),
        lr: positive,
      })
      .passthrough(),
    scheduler: z
      .object({
        name: z.enum(['step', 'multistep', 'exponential', 'cosine', 'onecycle', 'plateau', 'linear']),
        interval: z.enum(['epoch', 'step']).optional(),
      })
      .passthrough()
      .optional(),
    trainer: z
      .object({
        epochs: count,
        gradClip: z.object({ maxNorm: positive }).strict().optional(),
        accumulateGradBatches: count.optional(),
      })
      .strict(),
    callbacks: z
      .object({
        earlyStopping: z
          .object({
            monitor: z.string().optional(),
            patience: z.number().int().nonnegative().optional(),
            mode: z.enum(['min', 'max']).optional(),
            restoreBestWeights: z.boolean().optional(),
          })
          .strict()
          .optional(),
        modelCheckpoint: z
          .object({
            monitor: z.string().optional(),
            mode: z.enum(['min', 'max']).optional(),
            saveTopK: z.number().int().optional(),
          })
          .strict()
          .optional(),
        pruner: z
          .object({
            finalSparsity: z.number().min(0).lt(1),
            initialSparsity: z.number().min(0).lt(1).optional(),
            beginStep: z.number().int().nonnegative().optional(),
            endStep: z.number().int().positive(),
            frequency: z.number().int().positive().optional(),
            mode: z.enum(['unstructured', 'global', 'structured']).optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    runDir: z.string().default('runs/run'),
  })
  .strict();

export type RunConfig = z.infer<typeof configSchema>;

function describeReceived(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
}

/** Validates a config object; errors name each path and what is wrong (`optimizer.lr: expected a positive number, got "fast"`). */
export function validateConfig(raw: unknown): RunConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const value = issue.path.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)?.[key], raw);
    const path = issue.path.join('.') || '(root)';
    const received = value === undefined ? 'nothing' : describeReceived(value);
    if (issue.code === 'invalid_enum_value') {
      const allowed = issue.options.map(String);
      return `${path}: expected one of ${allowed.join(', ')}, got ${received}${didYouMean(String(value), allowed)}`;
    }
    return `${path}: ${issue.message}${issue.code === 'unrecognized_keys' ? '' : `, got ${received}`}`;
  });
  throw new NntkError('INVALID_CONFIG', `invalid config:\n  ${lines.join('\n  ')}`);
}

/** Parses `--a.b value` overrides into the config object (numbers and booleans converted). */
export function applyOverrides(
  config: Record<string, unknown>,
  overrides: [string, string][],
): Record<string, unknown> {
  const out = structuredClone(config);
  for (const [path, text] of overrides) {
    assertSafeKeyPath(path, 'command-line override');
    const keys = path.split('.');
    let target = out as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const numeric = Number(text);
    target[keys[keys.length - 1]] =
      text === 'true'
        ? true
        : text === 'false'
          ? false
          : text !== '' && Number.isFinite(numeric)
            ? numeric
            : text;
  }
  return out;
}

/** Reads a JSON or YAML config file. */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  if (!existsSync(path)) throw new NntkError('FILE_NOT_FOUND', `config file not found: ${path}`);
  const text = await readFile(path, 'utf8');
  try {
    return (/\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text)) ?? {};
  } catch (error) {
    throw new NntkError(
      'INVALID_CONFIG',
      `${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
