import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSafeKeyPath, formatSweepLine, redactUrl, runSweep } from './index';

const script = new URL('../test-fixtures/quick-runner.mjs', import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nntk-search-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runSweep search and pruning', () => {
  it('TPE with ASHA: bad trials stop at a rung, the sweep resumes with the same proposals, the report has every plot', async () => {
    const options = {
      base: { epochs: 4 },
      tpe: {
        space: { x: { uniform: [0, 1] as [number, number] }, act: { choice: ['relu', '<b>gelu</b>'] } },
        trials: 8,
        nStartupTrials: 3,
      },
      pruner: { name: 'asha' as const, minEpochs: 1, reductionFactor: 2 },
      dir: join(dir, 'tpe'),
      runner: { script },
    };
    const lines: string[] = [];
    const first = await runSweep({ ...options, onProgress: (p) => lines.push(formatSweepLine(p)) });
    const statuses = first.rows.map((r) => r.status);
    expect(statuses.filter((s) => s === 'pruned').length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 'completed').length).toBeGreaterThan(0);
    for (const r of first.rows) expect(r.epochs).toBe(r.status === 'pruned' ? r.epochs : 4);
    // A trial is stopped when its rung's decision reaches it, asynchronously (see the README): on a loaded
    // machine it may train past its rung, so only "it trained at least the first rung" holds every time.
    expect(first.rows.filter((r) => r.status === 'pruned').every((r) => r.epochs >= 1)).toBe(true);
    expect(first.rows.findIndex((r) => r.status === 'pruned')).toBe(
      statuses.filter((s) => s === 'completed').length,
    );
    expect(lines.at(-1)).toMatch(
      /^sweep 8\/8 done · 0 running · \d+ pruned · best val_loss 0\.\d{4} \(\d{3}-/,
    );
    const again = await runSweep(options);
    expect(again.rows).toEqual(first.rows);
    const html = readFileSync(first.report, 'utf8');
    for (const text of [
      'each hyperparameter against the objective',
      'Parallel coordinates',
      "Best runs' curves",
      '<svg',
    ])
      expect(html.toLowerCase()).toContain(text.toLowerCase());
    expect(html).not.toContain('<b>gelu</b>');
    expect(html).toContain('&#60;b&#62;gelu&#60;/b&#62;');
  }, 60_000);

  it('per configuration mean ± std over seeds, ranked', async () => {
    const result = await runSweep({
      base: { epochs: 1 },
      grid: { x: [0.9, 0.3] },
      seeds: [1, 2, 3],
      dir: join(dir, 'seeds'),
      runner: { script },
      concurrency: 2,
    });
    expect(result.configurations.map((c) => c.overrides.x)).toEqual([0.3, 0.9]);
    const [best] = result.configurations;
    expect(best.n).toBe(3);
    expect(best.mean).toBeCloseTo(1 + 0.002, 12); // (0.3-0.3)^2 + 1/1 + 0.001·mean(1,2,3)
    expect(best.std).toBeCloseTo(0.001, 12);
    const summary = JSON.parse(readFileSync(result.json, 'utf8'));
    expect(summary.configurations).toHaveLength(2);
  }, 60_000);
});

describe('safety helpers', () => {
  it('redacts credentials from URLs and rejects prototype keys', () => {
    expect(redactUrl('rediss://nntk:p%40ss@redis.example.com:6380/2')).toBe(
      'rediss://***:***@redis.example.com:6380/2',
    );
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('not a url with secret')).toBe('<unparseable URL>');
    expect(() => assertSafeKeyPath('optimizer.lr', 'key')).not.toThrow();
    for (const bad of ['__proto__.x', 'a.constructor.prototype', 'model.prototype'])
      expect(() => assertSafeKeyPath(bad, 'grid key')).toThrow(`grid key '${bad}' has the segment`);
    expect(() => assertSafeKeyPath('a..b', 'key')).toThrow("key 'a..b' has an empty segment");
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
