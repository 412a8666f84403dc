import './register-tfjs';

export { writeFileAtomic } from './atomic-write';
export type { BackendFix, BackendInfo, BackendName, UseBackendOptions } from './backend';
export { BACKEND_NAMES, backendInfo, defaultBackendName, registerBackendFix, useBackend } from './backend';
export type { NntkErrorCode } from './errors';
export { describeValue, invalidOption, NntkError } from './errors';
export type { LoadStateDictOptions, LoadStateDictResult, StateDict } from './module';
export { Module } from './module';
export type { ParameterOptions } from './parameter';
export { Parameter } from './parameter';
export type { RngState } from './rng';
export { getRng, Rng, seed } from './rng';
export type { SafetensorsContent } from './safetensors';
export { decodeSafetensors, encodeSafetensors } from './safetensors';
export { loadSafetensors, saveSafetensors } from './safetensors-file';
export { check } from './validate';
export type { Gradients, ValueAndGrads } from './value-and-grads';
export { disposeGradients, valueAndGrads } from './value-and-grads';
