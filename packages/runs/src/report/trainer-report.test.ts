import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seed, useBackend } from '@nntk/core';
import { DataLoader, spirals } from '@nntk/datasets';
import { crossEntropy, MLP } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import { Trainer } from '@nntk/trainer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRun } from './read-run';
import { reportSpecs } from './report-specs';
import { writeReport } from './write-report';

let dir: string;

beforeAll(async () => {
  await useBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'nntk-trainer-report-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function train(name: string, lr: number): Promise<string> {
  seed(5);
  const model = new MLP({ sizes: [2, 8, 2] });
  const runDir = join(dir, name, 'run');
  const trainer = new Trainer({
    model,
    optimizer: new Adam(model.parameters(), { lr }),
    loss: crossEntropy,
    metrics: ['accuracy'],
    runDir,
    config: { optimizer: { lr } },
  });
  const data = spirals({ n: 48, seed: 3 });
  await trainer.fit(new DataLoader(data, { batchSize: 16, shuffle: true, seed: 1 }), {
    epochs: 2,
    valLoader: new DataLoader(data, { batchSize: 48 }),
  });
  model.dispose();
  return runDir;
}

describe('a report of Trainer run directories', () => {
  it('reads what the Trainer wrote and draws every plot, on disk and in memory', async () => {
    const runs = [await train('lr-1e-2', 1e-2), await train('lr-3e-2', 3e-2)];
    const data = await readRun(runs[0]);
    expect(data.epochs.map((l) => l.epoch)).toEqual([0, 1]);
    expect(data.steps).toHaveLength(6);
    expect(data.config).toEqual({ optimizer: { lr: 1e-2 } });
    const result = await writeReport(runs, join(dir, 'report'));
    const names = ['loss', 'accuracy', 'loss-per-step', 'learning-rate', 'comparison'];
    expect(result.svgs.map((p) => p.split('/').pop())).toEqual(names.map((n) => `${n}.svg`));
    for (const svg of result.svgs) expect(existsSync(svg)).toBe(true);
    const html = await readFile(result.html, 'utf8');
    expect(html).toContain('lr-1e-2/run');
    expect(html).toContain('<svg');
    const both = await Promise.all(runs.map(readRun));
    expect(reportSpecs(both).map((p) => p.name)).toEqual(names);
  });
});
