import { describe, expect, it } from 'vitest';
import { NntkError } from './errors';
import { checkOptionNames, closestName } from './option-names';

describe('checkOptionNames', () => {
  const known = ['batchFirst', 'dropout', 'bias'];

  it('accepts known names and no options', () => {
    expect(() => checkOptionNames('Layer', { dropout: 0.1, bias: false }, known)).not.toThrow();
    expect(() => checkOptionNames('Layer', undefined, known)).not.toThrow();
  });

  it('rejects an unknown name, suggesting the closest known one', () => {
    expect(() => checkOptionNames('Layer', { batchFrist: true }, known)).toThrow(
      "Layer: unknown option 'batchFrist' (did you mean 'batchFirst'?); known options: batchFirst, dropout, bias",
    );
    try {
      checkOptionNames('Layer', { Dropuot: 1 }, known);
    } catch (error) {
      expect(error).toBeInstanceOf(NntkError);
      expect((error as NntkError).code).toBe('INVALID_OPTION');
      expect((error as NntkError).message).toContain("did you mean 'dropout'?");
    }
  });

  it('names no suggestion when nothing is close, and rejects a non-object', () => {
    expect(() => checkOptionNames('Layer', { momentum: 0.9 }, known)).toThrow(
      "Layer: unknown option 'momentum'; known options",
    );
    expect(() => checkOptionNames('Layer', 3, known)).toThrow('options must be an object');
  });

  it('closestName measures edits case-insensitively', () => {
    expect(closestName('BIAS', known)).toBe('bias');
    expect(closestName('xyz', known)).toBeUndefined();
  });
});
