import type { DeepFCNetOptions, MLPOptions, VGGOptions } from '@nntk/layers';
import type * as optim from '@nntk/optim';
import type { OneCycleLROptions, ReduceLROnPlateauOptions } from '@nntk/schedulers';
import { z } from 'zod';

// Strict zod schemas of the model, optimizer and scheduler sections of a config, one per component:
// an unknown key is an error (with a "did you mean"), and the parsed types feed the typed build
// functions in build-run.ts. `AllKeys<T, S>` fails to compile when a schema misses an option the
// component has, so the lists cannot drift from the packages.

/** Compiles only when the schema's keys cover every option of `T` (the value is the schema itself). */
type Covers<T, S extends z.ZodRawShape> = [Exclude<keyof T, keyof S>] extends [never] ? S : never;
function shape<T>() {
  return <S extends z.ZodRawShape>(s: S & Covers<T, S>): S => s;
}

const num = z.number();
const nonNegative = z.number().nonnegative();
const positive = z
  .number({ invalid_type_error: 'expected a positive number' })
  .positive('expected a positive number');
const int = z.number().int();
const probability = z.number().min(0).lt(1);
const pair = z.tuple([z.number(), z.number()]);
const activation = z.enum(['relu', 'leakyRelu', 'elu', 'gelu', 'silu', 'sigmoid', 'tanh', 'identity']);

const mlp = z
  .object({
    name: z.literal('mlp'),
    ...shape<MLPOptions>()({
      sizes: z.array(int.positive()).min(2),
      activation: activation.optional(),
      batchNorm: z.boolean().optional(),
      dropout: probability.optional(),
      bias: z.boolean().optional(),
    }),
  })
  .strict();
const vgg = z
  .object({
    name: z.literal('vgg'),
    ...shape<VGGOptions>()({
      config: z.array(z.union([int.positive(), z.literal('M')])).min(1),
      inChannels: int.positive().optional(),
      numClasses: int.positive().optional(),
      inputSize: z.tuple([int.positive(), int.positive()]).optional(),
      batchNorm: z.boolean().optional(),
      hidden: z.array(int.positive()).optional(),
      dropout: probability.optional(),
    }),
  })
  .strict();
const deepfcnet = z
  .object({
    name: z.literal('deepfcnet'),
    ...shape<DeepFCNetOptions>()({
      inputDim: int.positive(),
      width: int.positive(),
      depth: int.positive(),
      outputDim: int.positive(),
      init: z.enum(['standard', 'rezero', 'fixup']).optional(),
      norm: z.enum(['none', 'batch', 'layer']).optional(),
      activation: activation.optional(),
      dropout: probability.optional(),
    }),
  })
  .strict();

export const modelSchema = z.discriminatedUnion('name', [mlp, vgg, deepfcnet]);
export type ModelConfig = z.infer<typeof modelSchema>;

const base = { lr: positive, skipNonFinite: z.boolean().optional() };
const moment = {
  ...base,
  betas: pair.optional(),
  eps: positive.optional(),
  weightDecay: nonNegative.optional(),
  maximize: z.boolean().optional(),
};
const optimizer = <N extends string, S extends z.ZodRawShape>(name: N, s: S) =>
  z.object({ name: z.literal(name), ...s }).strict();

export const optimizerSchema = z.discriminatedUnion('name', [
  optimizer(
    'sgd',
    shape<optim.SGDOptions>()({
      ...base,
      momentum: nonNegative.optional(),
      dampening: nonNegative.optional(),
      weightDecay: nonNegative.optional(),
      nesterov: z.boolean().optional(),
      maximize: z.boolean().optional(),
      fused: z.boolean().optional(),
    }),
  ),
  optimizer(
    'adam',
    shape<optim.AdamOptions>()({ ...moment, amsgrad: z.boolean().optional(), fused: z.boolean().optional() }),
  ),
  optimizer(
    'adamw',
    shape<optim.AdamOptions>()({ ...moment, amsgrad: z.boolean().optional(), fused: z.boolean().optional() }),
  ),
  optimizer('adamax', shape<optim.AdamaxOptions>()({ ...moment })),
  optimizer('nadam', shape<optim.NAdamOptions>()({ ...moment, momentumDecay: nonNegative.optional() })),
  optimizer('radam', shape<optim.RAdamOptions>()({ ...moment })),
  optimizer(
    'rmsprop',
    shape<optim.RMSpropOptions>()({
      ...base,
      alpha: nonNegative.optional(),
      eps: positive.optional(),
      weightDecay: nonNegative.optional(),
      momentum: nonNegative.optional(),
      centered: z.boolean().optional(),
      maximize: z.boolean().optional(),
    }),
  ),
  optimizer(
    'adagrad',
    shape<optim.AdagradOptions>()({
      ...base,
      lrDecay: nonNegative.optional(),
      weightDecay: nonNegative.optional(),
      initialAccumulatorValue: nonNegative.optional(),
      eps: positive.optional(),
      maximize: z.boolean().optional(),
    }),
  ),
  optimizer(
    'adadelta',
    shape<optim.AdadeltaOptions>()({
      ...base,
      rho: nonNegative.optional(),
      eps: positive.optional(),
      weightDecay: nonNegative.optional(),
      maximize: z.boolean().optional(),
    }),
  ),
  optimizer(
    'lion',
    shape<optim.LionOptions>()({
      ...base,
      betas: pair.optional(),
      weightDecay: nonNegative.optional(),
      maximize: z.boolean().optional(),
    }),
  ),
  optimizer('lamb', shape<optim.LAMBOptions>()({ ...moment })),
]);
export type OptimizerConfig = z.infer<typeof optimizerSchema>;

const interval = { interval: z.enum(['epoch', 'step']).optional() };
const scheduler = <N extends string, S extends z.ZodRawShape>(name: N, s: S) =>
  z.object({ name: z.literal(name), ...interval, ...s }).strict();

export const schedulerSchema = z.discriminatedUnion('name', [
  scheduler('step', { stepSize: int.positive(), gamma: nonNegative.optional() }),
  scheduler('multistep', { milestones: z.array(int.nonnegative()), gamma: nonNegative.optional() }),
  scheduler('exponential', { gamma: nonNegative }),
  scheduler('cosine', { tMax: int.positive().optional(), etaMin: nonNegative.optional() }),
  scheduler(
    'onecycle',
    shape<OneCycleLROptions>()({
      maxLr: z.union([positive, z.array(positive)]).optional(),
      totalSteps: int.positive().optional(),
      epochs: int.positive().optional(),
      stepsPerEpoch: int.positive().optional(),
      pctStart: num.optional(),
      annealStrategy: z.enum(['cos', 'linear']).optional(),
      cycleMomentum: z.boolean().optional(),
      baseMomentum: z.union([num, z.array(num)]).optional(),
      maxMomentum: z.union([num, z.array(num)]).optional(),
      divFactor: positive.optional(),
      finalDivFactor: positive.optional(),
      threePhase: z.boolean().optional(),
    }),
  ),
  scheduler(
    'plateau',
    shape<ReduceLROnPlateauOptions>()({
      mode: z.enum(['min', 'max']).optional(),
      factor: positive.optional(),
      patience: int.nonnegative().optional(),
      threshold: nonNegative.optional(),
      thresholdMode: z.enum(['rel', 'abs']).optional(),
      cooldown: int.nonnegative().optional(),
      minLr: z.union([nonNegative, z.array(nonNegative)]).optional(),
      eps: nonNegative.optional(),
    }),
  ),
  scheduler('linear', {
    startFactor: positive.optional(),
    endFactor: nonNegative.optional(),
    totalIters: int.positive().optional(),
  }),
]);
export type SchedulerConfig = z.infer<typeof schedulerSchema>;

const sampleCount = int.positive().optional();
const seedOption = int.nonnegative().optional();

/** `data.options` of the synthetic data sets (the file-backed ones take none). */
export const syntheticOptionSchemas = {
  spirals: z
    .object({
      n: sampleCount,
      classes: int.min(2).optional(),
      turns: positive.optional(),
      noise: nonNegative.optional(),
      seed: seedOption,
    })
    .strict(),
  moons: z.object({ n: sampleCount, noise: nonNegative.optional(), seed: seedOption }).strict(),
  blobs: z
    .object({
      n: sampleCount,
      centers: int.positive().optional(),
      dim: int.positive().optional(),
      std: nonNegative.optional(),
      seed: seedOption,
    })
    .strict(),
  manifold: z
    .object({
      kind: z.enum(['sphere', 'torus', 'swissRoll', 'helix']),
      intrinsicDim: int.positive().optional(),
      ambientDim: int.positive(),
      n: sampleCount,
      noise: nonNegative.optional(),
      seed: seedOption,
    })
    .strict(),
};
export type SyntheticName = keyof typeof syntheticOptionSchemas;
