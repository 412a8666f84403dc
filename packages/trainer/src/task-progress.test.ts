import { describe, expect, it } from 'vitest';
import { TaskProgress } from './task-progress';

/** A stand-in for process.stderr that records what is written. */
function stream(isTTY: boolean) {
  const chunks: string[] = [];
  const fake = { isTTY, write: (chunk: string) => chunks.push(chunk) > 0 };
  return { chunks, fake };
}

describe('TaskProgress', () => {
  it('redraws one line in place on a TTY and ends it on finish', () => {
    const { chunks, fake } = stream(true);
    const progress = new TaskProgress({ label: 'lr-find', total: 4, stream: fake, width: 8 });
    for (let i = 0; i < 4; i++) progress.tick(`lr ${i}`);
    progress.finish('done');
    expect(chunks).toHaveLength(6);
    const CLEAR_LINE = '\x1b[K';
    expect(chunks.slice(0, 4).every((c) => c.startsWith('\r') && c.endsWith(CLEAR_LINE))).toBe(true);
    expect(chunks[0].slice(1, -CLEAR_LINE.length)).toMatch(/^lr-find \[=> {6}\] 1\/4 {2}lr 0 {2}ETA \S+$/);
    expect(chunks[3].slice(1, -CLEAR_LINE.length)).toMatch(/^lr-find \[=======>\] 4\/4 {2}lr 3 {2}\d+s$/);
    expect(chunks.slice(4)).toEqual(['\n', 'done\n']);
  });

  it('writes a plain line at every tenth of the total when not on a TTY', () => {
    const { chunks, fake } = stream(false);
    const progress = new TaskProgress({ label: 'sweep', total: 100, stream: fake });
    for (let i = 0; i < 100; i++) progress.tick();
    progress.finish();
    expect(chunks).toHaveLength(11);
    expect(chunks.every((c) => c.startsWith('sweep [') && c.endsWith('\n'))).toBe(true);
    expect(chunks.at(-1)).toContain('100/100');
  });
});
