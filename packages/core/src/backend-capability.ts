import * as tf from '@tensorflow/tfjs-core';
import { BACKENDS } from './backend-names';
import type { BackendCapabilities, BackendCapabilityName, BackendName } from './backend-types';

const registry = new Map<BackendName, Partial<BackendCapabilities>>();

/**
 * Offers `impl` as capability `name` of `backend` (while that backend is active). `useBackend` registers
 * the capabilities of a backend package's plugin; a later registration replaces an earlier one. Returns
 * a function that restores what was registered before (tests use it to swap an implementation).
 */
export function registerBackendCapability<K extends BackendCapabilityName>(
  backend: BackendName,
  name: K,
  impl: BackendCapabilities[K],
): () => void {
  const entry = registry.get(backend) ?? {};
  registry.set(backend, entry);
  const had = Object.hasOwn(entry, name);
  const previous = entry[name];
  entry[name] = impl;
  return () => {
    if (had) entry[name] = previous;
    else delete entry[name];
  };
}

/**
 * The active backend's capability `name`, or undefined where the active backend has none (the caller
 * then takes its reference path). Cheap: callers ask once per step.
 */
export function backendCapability<K extends BackendCapabilityName>(
  name: K,
): BackendCapabilities[K] | undefined {
  const tfName = tf.getBackend();
  for (const [backend, capabilities] of registry) {
    if (BACKENDS[backend].tfName === tfName && capabilities[name] !== undefined) return capabilities[name];
  }
  return undefined;
}
