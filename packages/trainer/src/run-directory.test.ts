import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NntkError } from '@nntk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FileRunStore,
  lastCheckpointDirectory,
  parseJsonLines,
  readJsonFile,
  readMetrics,
  readRunConfig,
  runPath,
  writeMetrics,
  writeRunConfig,
} from './run-directory';
import { StepLogger } from './step-logger';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nntk-run-dir-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('run directory layout and metrics.jsonl', () => {
  it('names every file of a run directory', () => {
    expect(runPath('runs/a', 'metrics')).toBe(join('runs/a', 'metrics.jsonl'));
    expect(runPath('runs/a', 'testMetrics')).toBe(join('runs/a', 'test-metrics.json'));
    expect(lastCheckpointDirectory('runs/a')).toBe(join('runs/a', 'checkpoints', 'last'));
  });

  it('writes and reads metrics.jsonl back, NaN as null, and an empty list for no file', async () => {
    const run = join(dir, 'metrics');
    expect(await readMetrics(run)).toEqual([]);
    await writeMetrics(run, [
      { epoch: 0, loss: 1.5 },
      { epoch: 1, loss: Number.NaN },
    ]);
    const text = await readFile(runPath(run, 'metrics'), 'utf8');
    expect(text).toBe('{"epoch":0,"loss":1.5}\n{"epoch":1,"loss":null}\n');
    expect(await readMetrics(run)).toEqual([
      { epoch: 0, loss: 1.5 },
      { epoch: 1, loss: null },
    ]);
    await writeMetrics(run, []);
    expect(await readFile(runPath(run, 'metrics'), 'utf8')).toBe('');
  });

  it('a corrupt line is CORRUPT_DATA naming file and line, or the end of a file being written', async () => {
    const run = join(dir, 'torn');
    await writeRunConfig(run, {});
    await writeFile(runPath(run, 'metrics'), '{"epoch":0}\n{"epoch":1}\n{"epo');
    expect(await readMetrics(run, { torn: 'stop' })).toEqual([{ epoch: 0 }, { epoch: 1 }]);
    const error = await readMetrics(run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NntkError);
    expect((error as NntkError).code).toBe('CORRUPT_DATA');
    expect((error as Error).message).toMatch(/metrics\.jsonl, line 3, is not valid JSON/);
    expect(parseJsonLines('\n1\n\n2\n', 'x')).toEqual([1, 2]);
  });

  it('writes config.json and reads it back; bad JSON is CORRUPT_DATA', async () => {
    const run = join(dir, 'config');
    expect(await readRunConfig(run)).toBeUndefined();
    await writeRunConfig(run, { optimizer: { lr: 0.1 } });
    expect(await readRunConfig(run)).toEqual({ optimizer: { lr: 0.1 } });
    await writeFile(runPath(run, 'config'), '{"a":');
    await expect(readJsonFile(runPath(run, 'config'))).rejects.toThrow(/config\.json is not valid JSON/);
  });
});

describe('FileRunStore', () => {
  it('begins a run with config.json and an empty metrics.jsonl, and adds a StepLogger', async () => {
    const run = join(dir, 'store');
    const store = new FileRunStore(run);
    expect(store.lastCheckpoint).toBe(lastCheckpointDirectory(run));
    await store.begin({ seed: 1 });
    expect(JSON.parse(await readFile(runPath(run, 'config'), 'utf8'))).toEqual({ seed: 1 });
    expect(await readFile(runPath(run, 'metrics'), 'utf8')).toBe('');
    await store.writeEpochs([{ epoch: 0, loss: 2 }]);
    expect(await readMetrics(run)).toEqual([{ epoch: 0, loss: 2 }]);
    const [logger] = store.callbacks();
    expect(logger).toBeInstanceOf(StepLogger);
    expect((logger as StepLogger).path).toBe(runPath(run, 'steps'));
    expect(existsSync(runPath(run, 'checkpoints'))).toBe(false);
  });

  it('refuses an empty directory name', () => {
    expect(() => new FileRunStore('')).toThrow(/runDir must be a non-empty path/);
  });
});
