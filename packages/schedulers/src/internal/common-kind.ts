import { NntkError } from '@nntk/core';
import type { SchedulerKind } from '@nntk/optim';

/** The `kind` shared by the schedulers a composite runs; they must agree, or the loop would step some wrongly. */
export function commonKind(owner: string, schedulers: ReadonlyArray<{ kind: SchedulerKind }>): SchedulerKind {
  const kinds = [...new Set(schedulers.map((s) => s.kind))];
  if (kinds.length > 1) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: the schedulers are stepped at different moments (${kinds.join(' and ')}); combine schedulers of one kind`,
    );
  }
  return kinds[0];
}
