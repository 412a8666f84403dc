import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultStream } from './default-stream';

describe('defaultStream', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('is process.stderr in Node', () => {
    expect(defaultStream()).toBe(process.stderr);
  });

  it('without process (a browser) sends complete lines to console.log, never as a TTY', () => {
    vi.stubGlobal('process', undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const stream = defaultStream();
    expect(stream.isTTY).toBe(false);
    stream.write('epoch 1 ');
    expect(log).not.toHaveBeenCalled();
    stream.write('loss 0.5\nepoch 2\n');
    expect(log.mock.calls).toEqual([['epoch 1 loss 0.5'], ['epoch 2']]);
  });
});
