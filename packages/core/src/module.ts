import * as tf from '@tensorflow/tfjs-core';
import { NntkError } from './errors';
import {
  addForwardHook,
  addForwardPreHook,
  type ForwardHook,
  type ForwardPreHook,
  type RemovableHandle,
} from './forward-hooks';
import { Parameter } from './parameter';

/** Tensors by dotted name (`layers.0.weight`), as `Module.stateDict()` returns them. */
export type StateDict = Record<string, tf.Tensor>;

export interface LoadStateDictOptions {
  /** Require exactly the module's keys. Default true. Shape mismatches are errors either way. */
  strict?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

function isModule(value: unknown): value is Module {
  return value instanceof Module;
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Base class of every layer and model, after `torch.nn.Module`. Fields holding a `Parameter` are its
 * parameters; fields holding another `tf.Variable` are its buffers (non-trainable state such as BatchNorm
 * running statistics); fields holding a `Module`, or an array of modules, are its children. Fields whose
 * name starts with `_` are private and not walked.
 */
export abstract class Module {
  /** True in training mode (dropout active, BatchNorm uses batch statistics). */
  training = true;

  abstract forward(...inputs: unknown[]): unknown;

  /**
   * Registers `hook(module, inputs, output)`, called after every `forward` of this module (as PyTorch's
   * `register_forward_hook`); a hook returning a value other than `undefined` replaces the output.
   * Hooks run in registration order on every call of `module.forward(...)`, including calls from
   * containers and the trainer, and inside the caller's `tf.tidy` (`tf.keep` what must outlive it).
   * Returns a handle whose `remove()` unregisters the hook.
   */
  registerForwardHook(hook: ForwardHook<this>): RemovableHandle {
    return addForwardHook(this, hook as ForwardHook);
  }

  /**
   * Registers `hook(module, inputs)`, called before every `forward` (PyTorch's
   * `register_forward_pre_hook`); returning an array replaces the inputs, another value other than
   * `undefined` becomes the single input.
   */
  registerForwardPreHook(hook: ForwardPreHook<this>): RemovableHandle {
    return addForwardPreHook(this, hook as ForwardPreHook);
  }

  /** One-line description of this module's own settings, shown by `toString()`. */
  extraRepr(): string {
    return '';
  }

  private ownEntries(): [string, unknown][] {
    return Object.entries(this).filter(([key]) => key !== 'training' && !key.startsWith('_'));
  }

  /** Direct children with their field names (`layers.0` for arrays). */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [key, value] of this.ownEntries()) {
      if (isModule(value)) out.push([key, value]);
      else if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (isModule(item)) out.push([`${key}.${i}`, item]);
        });
      }
    }
    return out;
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, depth first, each once. */
  namedModules(prefix = '', seen = new Set<Module>()): [string, Module][] {
    if (seen.has(this)) return [];
    seen.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) {
      out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name, seen));
    }
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  private collect<T>(pick: (value: unknown) => value is T): [string, T][] {
    const out: [string, T][] = [];
    const seen = new Set<unknown>();
    for (const [prefix, module] of this.namedModules()) {
      for (const [key, value] of module.ownEntries()) {
        if (!pick(value) || seen.has(value)) continue;
        seen.add(value);
        out.push([prefix ? `${prefix}.${key}` : key, value]);
      }
    }
    return out;
  }

  /** Every parameter with its dotted path; a parameter shared by two modules appears once. */
  namedParameters(): [string, Parameter][] {
    return this.collect((v): v is Parameter => v instanceof Parameter);
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Non-trainable state: every `tf.Variable` field that is not a `Parameter`. */
  namedBuffers(): [string, tf.Variable][] {
    return this.collect((v): v is tf.Variable => v instanceof tf.Variable && !(v instanceof Parameter));
  }

  buffers(): tf.Variable[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** Number of parameter elements (all, or trainable only). */
  numParameters(options: { trainableOnly?: boolean } = {}): number {
    return this.parameters()
      .filter((p) => !options.trainableOnly || p.trainable)
      .reduce((sum, p) => sum + p.size, 0);
  }

  /** Sets training mode on this module and every descendant. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Calls `fn` on every descendant, then on this module (PyTorch's order). */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Parameters and buffers by dotted name. The values are the live variables (as PyTorch returns
   * references): clone them to keep a snapshot.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, p] of this.namedParameters()) out[name] = p;
    for (const [name, b] of this.namedBuffers()) out[name] = b;
    return out;
  }

  /**
   * Copies values into this module's parameters and buffers. Strict mode (the default) rejects missing
   * and unexpected keys; a shape mismatch is always rejected. Nothing is written unless all checks pass.
   */
  loadStateDict(stateDict: StateDict, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !(k in own));
    const shapeErrors = Object.keys(own)
      .filter((k) => k in stateDict && !tf.util.arraysEqual(own[k].shape, stateDict[k].shape))
      .map((k) => `${k}: expected shape [${own[k].shape}], got [${stateDict[k].shape}]`);
    const problems: string[] = [...shapeErrors];
    if (strict && missingKeys.length) problems.push(`missing keys: ${missingKeys.join(', ')}`);
    if (strict && unexpectedKeys.length) problems.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    if (problems.length) {
      throw new NntkError(
        'STATE_DICT_MISMATCH',
        `${this.constructor.name}.loadStateDict: the state dict does not fit this module:\n  ${problems.join('\n  ')}`,
      );
    }
    for (const [key, target] of Object.entries(own)) {
      const source = stateDict[key];
      if (!source) continue;
      tf.tidy(() =>
        (target as tf.Variable).assign(source.dtype === target.dtype ? source : source.cast(target.dtype)),
      );
    }
    return { missingKeys, unexpectedKeys };
  }

  /** Frees every parameter and buffer of this module and its descendants. */
  dispose(): void {
    for (const p of this.parameters()) if (!p.isDisposed) p.dispose();
    for (const b of this.buffers()) if (!b.isDisposed) b.dispose();
  }

  private reprLines(): string[] {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (children.length === 0) return [`${head})`];
    const lines = [head];
    for (const [name, child] of children) {
      const inner = child.reprLines();
      lines.push(`  (${name}): ${inner[0]}`, ...inner.slice(1).map((l) => `  ${l}`));
    }
    lines.push(')');
    return lines;
  }

  /** PyTorch-style tree of the module, followed by parameter counts. */
  toString(): string {
    const total = this.numParameters();
    const trainable = this.numParameters({ trainableOnly: true });
    return [
      ...this.reprLines(),
      `Parameters: ${formatCount(total)} (trainable: ${formatCount(trainable)}, non-trainable: ${formatCount(total - trainable)})`,
    ].join('\n');
  }
}
