import { NntkError } from './errors';

/**
 * Called after `forward` with the module, its inputs and its output, as PyTorch's
 * `register_forward_hook` hook `hook(module, args, output)`. Returning a value other than `undefined`
 * replaces the output (later hooks and the caller see the replacement).
 */
export type ForwardHook<M = unknown> = (module: M, inputs: unknown[], output: unknown) => unknown;

/**
 * Called before `forward` with the module and its inputs, as PyTorch's `register_forward_pre_hook`.
 * Returning an array replaces the inputs; any other value other than `undefined` becomes the single input.
 */
export type ForwardPreHook<M = unknown> = (module: M, inputs: unknown[]) => unknown;

/** What `registerForwardHook` returns, as PyTorch's `RemovableHandle`: `remove()` unregisters the hook. */
export interface RemovableHandle {
  /** Unregisters the hook; calling it again does nothing. */
  remove(): void;
}

interface HookState {
  pre: Map<number, ForwardPreHook>;
  post: Map<number, ForwardHook>;
}

const states = new WeakMap<object, HookState>();
let nextId = 0;

type Forward = (...inputs: unknown[]) => unknown;

/** Runs the pre-hooks, `forward` and the hooks, in registration order. */
function runHooked(module: object, state: HookState, forward: Forward, args: unknown[]): unknown {
  let inputs = args;
  for (const hook of [...state.pre.values()]) {
    const replaced = hook(module, inputs);
    if (replaced !== undefined) inputs = Array.isArray(replaced) ? replaced : [replaced];
  }
  let output = forward.apply(module, inputs);
  for (const hook of [...state.post.values()]) {
    const replaced = hook(module, inputs, output);
    if (replaced !== undefined) output = replaced;
  }
  return output;
}

/**
 * The module's hook registry. The first registration replaces the instance's `forward` with a
 * non-enumerable wrapper that runs the hooks around the original method, so every caller of
 * `module.forward(...)` (containers, the trainer, user code) goes through the hooks.
 */
function hookState(module: { forward: Forward }): HookState {
  const existing = states.get(module);
  if (existing) return existing;
  const state: HookState = { pre: new Map(), post: new Map() };
  states.set(module, state);
  const forward = module.forward;
  Object.defineProperty(module, 'forward', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: (...args: unknown[]) =>
      state.pre.size === 0 && state.post.size === 0
        ? forward.apply(module, args)
        : runHooked(module, state, forward, args),
  });
  return state;
}

function register<H>(owner: string, registry: Map<number, H>, hook: H): RemovableHandle {
  if (typeof hook !== 'function')
    throw new NntkError('INVALID_OPTION', `${owner}: the hook must be a function, got ${typeof hook}`);
  const id = nextId++;
  registry.set(id, hook);
  return { remove: () => void registry.delete(id) };
}

/** Registers a forward hook on `module` (see `Module.registerForwardHook`). */
export function addForwardHook(module: { forward: Forward }, hook: ForwardHook): RemovableHandle {
  return register('Module.registerForwardHook', hookState(module).post, hook);
}

/** Registers a forward pre-hook on `module` (see `Module.registerForwardPreHook`). */
export function addForwardPreHook(module: { forward: Forward }, hook: ForwardPreHook): RemovableHandle {
  return register('Module.registerForwardPreHook', hookState(module).pre, hook);
}
