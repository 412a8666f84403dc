import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { FusedOptimizerUpdates } from './index';
import { backendCapability, registerBackendCapability, useBackend } from './index';

const updates = (tag: string): FusedOptimizerUpdates => ({
  adam: () => {
    throw new Error(tag);
  },
  sgd: () => {
    throw new Error(tag);
  },
});

describe('backend capabilities', () => {
  it("answers with the active backend's capability only, and a registration can be undone", async () => {
    await useBackend('cpu');
    expect(backendCapability('fusedOptimizerUpdates')).toBeUndefined();
    const first = updates('first');
    const undoFirst = registerBackendCapability('cpu', 'fusedOptimizerUpdates', first);
    expect(backendCapability('fusedOptimizerUpdates')).toBe(first);
    const undoOther = registerBackendCapability('webgl', 'fusedOptimizerUpdates', updates('webgl'));
    expect(backendCapability('fusedOptimizerUpdates'), 'another backend is not asked').toBe(first);
    const second = updates('second');
    const undoSecond = registerBackendCapability('cpu', 'fusedOptimizerUpdates', second);
    expect(backendCapability('fusedOptimizerUpdates')).toBe(second);
    undoSecond();
    expect(backendCapability('fusedOptimizerUpdates')).toBe(first);
    undoFirst();
    undoOther();
    expect(backendCapability('fusedOptimizerUpdates')).toBeUndefined();
    expect(tf.getBackend()).toBe('cpu');
  });
});
