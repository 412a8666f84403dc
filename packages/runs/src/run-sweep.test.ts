import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweep } from './index';

const script = new URL('../test-fixtures/sweep-runner.mjs', import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nntk-sweep-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runSweep', () => {
  it('grid × seeds in worker processes: run directories, ranked CSV/JSON summary, completed runs skipped on re-run', async () => {
    const sweepDir = join(dir, 'grid');
    const options = {
      base: { epochs: 2, optimizer: { lr: 0 } },
      grid: { 'optimizer.lr': [0.001, 0.1] },
      seeds: [1, 2],
      concurrency: 2,
      dir: sweepDir,
      monitor: 'val_loss',
      mode: 'min' as const,
      runner: { script },
    };
    const seen: boolean[] = [];
    const result = await runSweep({ ...options, onRunEnd: (_row, info) => seen.push(info.skipped) });
    expect(seen).toEqual([false, false, false, false]);
    expect(result.rows.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(result.rows.slice(0, 2).map((r) => r.overrides['optimizer.lr'])).toEqual([0.1, 0.1]);
    const bests = result.rows.map((r) => r.best as number);
    expect([...bests].sort((a, b) => a - b)).toEqual(bests);
    expect(result.best?.run).toBe(result.rows[0].run);
    const names = result.rows.map((r) => r.run).sort();
    expect(names).toEqual([
      '000-optimizer.lr=0.001-seed=1',
      '001-optimizer.lr=0.001-seed=2',
      '002-optimizer.lr=0.1-seed=1',
      '003-optimizer.lr=0.1-seed=2',
    ]);
    const config = JSON.parse(readFileSync(join(sweepDir, names[3], 'config.json'), 'utf8'));
    expect(config).toMatchObject({ seed: 2, optimizer: { lr: 0.1 }, runDir: join(sweepDir, names[3]) });
    const csv = readFileSync(result.csv, 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'rank,run,status,optimizer.lr,seed,best_val_loss,best_epoch,epochs,final_epoch,final_val_loss',
    );
    expect(csv).toHaveLength(5);
    expect(csv[1].startsWith(`1,${result.rows[0].run},completed,0.1,`)).toBe(true);

    const stamp = statSync(join(sweepDir, names[0], 'metrics.jsonl')).mtimeMs;
    const again: boolean[] = [];
    const second = await runSweep({ ...options, onRunEnd: (_row, info) => again.push(info.skipped) });
    expect(again).toEqual([true, true, true, true]);
    expect(second.rows).toEqual(result.rows);
    expect(statSync(join(sweepDir, names[0], 'metrics.jsonl')).mtimeMs).toBe(stamp);
  });

  it('random search is reproducible; a failing run is reported, kept out of done, and retried next time', async () => {
    const space = {
      'optimizer.lr': { logUniform: [1e-3, 1] as [number, number] },
      width: { choice: [8, 16] },
    };
    const a = await runSweep({
      base: { epochs: 1, optimizer: { lr: 0 } },
      random: { space, trials: 3, searchSeed: 5 },
      dir: join(dir, 'r1'),
      runner: { script },
    });
    const b = await runSweep({
      base: { epochs: 1, optimizer: { lr: 0 } },
      random: { space, trials: 3, searchSeed: 5 },
      dir: join(dir, 'r2'),
      runner: { script },
    });
    expect(a.rows.map((r) => r.overrides)).toEqual(b.rows.map((r) => r.overrides));
    for (const r of a.rows) {
      expect(r.overrides['optimizer.lr'] as number).toBeGreaterThanOrEqual(1e-3);
      expect(r.overrides['optimizer.lr'] as number).toBeLessThanOrEqual(1);
    }

    const failing = await runSweep({
      base: { epochs: 1, optimizer: { lr: 0 }, failIf: 0.5 },
      grid: { 'optimizer.lr': [0.5, 0.05] },
      dir: join(dir, 'failing'),
      runner: { script },
    });
    expect(failing.rows.map((r) => r.status)).toEqual(['completed', 'failed']);
    const failedDir = join(dir, 'failing', failing.rows[1].run);
    expect(existsSync(join(failedDir, 'done.json'))).toBe(false);
    expect(readFileSync(join(failedDir, 'error.log'), 'utf8')).toContain('lr 0.5 fails on purpose');
    const skipped: boolean[] = [];
    const retried = await runSweep({
      base: { epochs: 1, optimizer: { lr: 0 } },
      grid: { 'optimizer.lr': [0.5, 0.05] },
      dir: join(dir, 'failing'),
      runner: { script },
      onRunEnd: (_row, info) => skipped.push(info.skipped),
    });
    expect(skipped).toEqual([false, true]);
    expect(retried.rows.map((r) => r.status)).toEqual(['completed', 'completed']);
  });

  it('validates its options', async () => {
    await expect(runSweep({ base: {}, dir, runner: { script }, concurrency: 0 })).rejects.toThrow(
      "runSweep: option 'concurrency' must be an integer >= 1, got 0",
    );
    await expect(
      runSweep({
        base: {},
        dir,
        runner: { script },
        random: { space: JSON.parse('{"a":{"normal":1}}'), trials: 1 },
      }),
    ).rejects.toThrow("runSweep: random space key 'a' must be");
  });
});
