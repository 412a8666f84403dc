import { Module, NntkError } from '@nntk/core';

/** Holds modules in a list (children `0`, `1`, …) without defining how they are called. */
export class ModuleList extends Module {
  readonly items: Module[];

  constructor(modules: Module[] = []) {
    super();
    this.items = [...modules];
  }

  override namedChildren(): [string, Module][] {
    return this.items.map((m, i) => [String(i), m]);
  }

  get length(): number {
    return this.items.length;
  }

  at(index: number): Module {
    const m = this.items.at(index);
    if (!m)
      throw new NntkError(
        'INVALID_OPTION',
        `ModuleList.at: index ${index} is out of range for ${this.items.length} modules`,
      );
    return m;
  }

  push(module: Module): this {
    this.items.push(module);
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.items[Symbol.iterator]();
  }

  forward(): never {
    throw new NntkError(
      'INVALID_OPTION',
      'ModuleList has no forward(): iterate over its modules and call them',
    );
  }
}
