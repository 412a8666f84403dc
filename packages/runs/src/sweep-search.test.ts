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
    // Each trial waits for its rung's decision: a pruned one trained exactly to a rung (1 or 2; 4 is the last).
    for (const r of first.rows) {
      if (r.status === 'pruned') expect([1, 2]).toContain(r.epochs);
      else expect(r.epochs).toBe(4);
    }
    expect(first.rows.findIndex((r) => r.status === 'pruned')).toBe(
      statuses.filter((s) => s === 'completed').length,
    );
    expect(lines.at(-1)).toMatch(
      /^sweep 8\/8 done · 0 running · \d+ pruned · best val_loss 0\.\d{4} \(\d{3}-/,
    );
    const again = await runSweep(options);
    expect(again.rows).toEqual(first.rows);
    const fresh = await runSweep({ ...options, dir: join(dir, 'tpe-again') });
    expect(fresh.rows).toEqual(first.rows);
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

  it('ASHA decisions are the same with 1 or 3 trials at once (each waits for the earlier trials at its rung)', async () => {
    const options = {
      base: { epochs: 4 },
      grid: { x: [0.9, 0.1, 0.6, 0.3, 0.7, 0.2, 0.8, 0.35] },
      pruner: { name: 'asha' as const, minEpochs: 1, reductionFactor: 2 },
      runner: { script },
    };
    const one = await runSweep({ ...options, dir: join(dir, 'asha-1'), concurrency: 1 });
    const three = await runSweep({ ...options, dir: join(dir, 'asha-3'), concurrency: 3 });
    expect(three.rows).toEqual(one.rows);
    const byRun = Object.fromEntries(one.rows.map((r) => [r.run.slice(0, 3), `${r.status}@${r.epochs}`]));
    // Trial 0 is alone at every rung; trial 1 (x = 0.1, better) goes on; trial 2 (x = 0.6) is below the top
    // half of {0.9, 0.1, 0.5} at rung 1; and so on: sequential ASHA over the earlier trials.
    expect(byRun['000']).toBe('completed@4');
    expect(byRun['001']).toBe('completed@4');
    expect(byRun['002']).toBe('pruned@1');
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
