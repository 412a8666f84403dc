import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ioError, NntkError } from '@nntk/core';
import { applyDottedOverrides } from '@nntk/runs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  modelSchema,
  optimizerSchema,
  type SyntheticName,
  schedulerSchema,
  syntheticOptionSchemas,
} from './component-schemas';
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
    model: modelSchema,
    optimizer: optimizerSchema,
    scheduler: schedulerSchema.optional(),
    trainer: z
      .object({
        epochs: count,
        gradClip: z.object({ maxNorm: positive }).strict().optional(),
        accumulateGradBatches: count.optional(),
        /** NaN/Inf loss or gradient: 'stop' (default), 'skip' the step, or 'ignore'. */
        nonFinite: z.enum(['stop', 'skip', 'ignore']).optional(),
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

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return unwrap(schema.unwrap());
  if (schema instanceof z.ZodDefault) return unwrap(schema._def.innerType);
  return schema;
}

/** The keys the schema allows for the object at `path` of `raw` (a discriminated union picks by name). */
function knownKeys(schema: z.ZodTypeAny, path: (string | number)[], raw: unknown): string[] {
  let inner = unwrap(schema);
  if (inner instanceof z.ZodDiscriminatedUnion) {
    const option = inner.optionsMap.get((raw as Record<string, z.Primitive>)?.[inner.discriminator]);
    if (!option) return [];
    inner = option;
  }
  if (!(inner instanceof z.ZodObject)) return [];
  const shape = inner.shape as Record<string, z.ZodTypeAny>;
  if (path.length === 0) return Object.keys(shape);
  const [head, ...rest] = path;
  const next = shape[String(head)];
  return next ? knownKeys(next, rest, (raw as Record<string, unknown>)?.[head]) : [];
}

function describeIssue(issue: z.ZodIssue, raw: unknown): string {
  const value = issue.path.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)?.[key], raw);
  const path = issue.path.join('.') || '(root)';
  if (issue.code === 'unrecognized_keys') {
    const parent = issue.path.reduce<unknown>(
      (v, key) => (v as Record<string | number, unknown>)?.[key],
      raw,
    );
    const name = (parent as { name?: unknown })?.name;
    const known = knownKeys(configSchema, issue.path, raw);
    const owner = typeof name === 'string' ? ` for ${path} '${name}'` : '';
    return issue.keys
      .map(
        (key) =>
          `${issue.path.length ? `${path}.` : ''}${key}: unknown option${owner}${didYouMean(key, known)} (allowed: ${known.join(', ')})`,
      )
      .join('\n  ');
  }
  if (issue.code === 'invalid_union_discriminator') {
    const allowed = issue.options.map(String);
    const hint = typeof value === 'string' ? didYouMean(value, allowed) : '';
    return `${path}: unknown name ${describeReceived(value)}${hint} (allowed: ${allowed.join(', ')})`;
  }
  const received = value === undefined ? 'nothing' : describeReceived(value);
  if (issue.code === 'invalid_enum_value') {
    const allowed = issue.options.map(String);
    return `${path}: expected one of ${allowed.join(', ')}, got ${received}${didYouMean(String(value), allowed)}`;
  }
  return `${path}: ${issue.message}, got ${received}`;
}

/** Validates a config object; errors name each path and what is wrong (`optimizer.lr: expected a positive number, got "fast"`). */
export function validateConfig(raw: unknown): RunConfig {
  checkDepth(raw, 'config');
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => describeIssue(issue, raw));
    throw new NntkError('INVALID_CONFIG', `invalid config:\n  ${lines.join('\n  ')}`);
  }
  checkDataOptions(result.data, raw);
  checkMonitors(result.data);
  return result.data;
}

/** The epoch-log keys a run of this config writes (what `monitor` options may name). */
export function loggedKeys(config: RunConfig): string[] {
  const classification = config.data.name !== 'manifold';
  const train = ['loss', ...(classification ? ['accuracy'] : [])];
  return [...train, ...train.map((k) => `val_${k}`), 'lr', ...(config.callbacks.pruner ? ['sparsity'] : [])];
}

function isSynthetic(name: string): name is SyntheticName {
  return Object.hasOwn(syntheticOptionSchemas, name);
}

/** `data.options` checked against the data set's own options (file-backed data sets take none). */
function checkDataOptions(config: RunConfig, raw: unknown): void {
  const { name, options } = config.data;
  if (!isSynthetic(name)) {
    const keys = Object.keys(options);
    if (keys.length > 0)
      throw new NntkError(
        'INVALID_CONFIG',
        `invalid config:\n  data.options: ${name} takes no options, got ${keys.join(', ')} (use data.root, data.download, data.limit)`,
      );
    return;
  }
  const schema = syntheticOptionSchemas[name];
  const result = schema.safeParse(options);
  if (result.success) return;
  const known = Object.keys(schema.shape);
  const lines = result.error.issues.map((issue) => {
    const path = ['data', 'options', ...issue.path].join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys
        .map(
          (key) =>
            `${path}.${key}: unknown option for data '${name}'${didYouMean(key, known)} (allowed: ${known.join(', ')})`,
        )
        .join('\n  ');
    return describeIssue({ ...issue, path: ['data', 'options', ...issue.path] }, raw);
  });
  throw new NntkError('INVALID_CONFIG', `invalid config:\n  ${lines.join('\n  ')}`);
}

function checkMonitors(config: RunConfig): void {
  const known = loggedKeys(config);
  const problems: string[] = [];
  for (const name of ['earlyStopping', 'modelCheckpoint'] as const) {
    const monitor = config.callbacks[name]?.monitor;
    if (monitor !== undefined && !known.includes(monitor))
      problems.push(
        `callbacks.${name}.monitor: ${JSON.stringify(monitor)} is not logged by this run${didYouMean(monitor, known)} (logged: ${known.join(', ')})`,
      );
  }
  if (problems.length) throw new NntkError('INVALID_CONFIG', `invalid config:\n  ${problems.join('\n  ')}`);
}

/** The deepest nesting a config may have (a real one is 4 deep; this only stops hostile input). */
const MAX_DEPTH = 32;

/** Rejects configs nested deeper than MAX_DEPTH, iteratively (a recursive walk would overflow the stack). */
function checkDepth(raw: unknown, what: string): void {
  const stack: [unknown, number][] = [[raw, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH)
      throw new NntkError(
        'INVALID_CONFIG',
        `${what} is nested more than ${MAX_DEPTH} levels deep; a config is a few levels of sections and options`,
      );
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
}

/** The nesting depth of JSON/YAML flow text (brackets outside strings), counted without parsing. */
function textDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

/** A command-line value: `true`/`false` and numbers converted, anything else kept as text. */
function parseOverrideValue(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  const numeric = Number(text);
  return text !== '' && Number.isFinite(numeric) ? numeric : text;
}

/** Parses `--a.b value` overrides into the config object (numbers and booleans converted). */
export function applyOverrides(
  config: Record<string, unknown>,
  overrides: [string, string][],
): Record<string, unknown> {
  const values = Object.fromEntries(overrides.map(([path, text]) => [path, parseOverrideValue(text)]));
  return applyDottedOverrides(config, values, 'command-line override');
}

/**
 * Reads a JSON or YAML config file (a UTF-8 byte-order mark is accepted). A directory, an unreadable
 * file, invalid syntax or nesting deeper than 32 levels raise `INVALID_CONFIG`/`FILE_NOT_FOUND`.
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  if (!existsSync(path)) throw new NntkError('FILE_NOT_FOUND', `config file not found: ${path}`);
  if (statSync(path).isDirectory())
    throw new NntkError(
      'INVALID_CONFIG',
      `${path} is a directory; give the config file (.json, .yaml or .yml)`,
    );
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    throw new NntkError('INVALID_CONFIG', ioError('config', path, error).message, { cause: error });
  }
  if (textDepth(text) > MAX_DEPTH)
    throw new NntkError(
      'INVALID_CONFIG',
      `${path} is nested more than ${MAX_DEPTH} levels deep; a config is a few levels of sections and options`,
    );
  let parsed: Record<string, unknown>;
  try {
    parsed = (/\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text)) ?? {};
  } catch (error) {
    throw new NntkError(
      'INVALID_CONFIG',
      `${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  checkDepth(parsed, path);
  return parsed;
}
