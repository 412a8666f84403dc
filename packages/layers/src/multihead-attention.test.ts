import { NntkError, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { attentionCases, checkAttentionCase, describeCase } from './attention-parity.test-suite';
import { MultiheadAttention } from './multihead-attention';

describe('MultiheadAttention matches PyTorch 1.13 (fixtures/gen_layers_attention.py)', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const c of attentionCases.filter((c) => c.layer === 'MultiheadAttention')) {
      it(`${describeCase(c)} on ${backend}`, () => checkAttentionCase(c, backend, 1e-5, 1e-5));
    }
  }
});
