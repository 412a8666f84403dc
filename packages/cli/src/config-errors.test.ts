import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from './main';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nntk-cli-config-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A tiny, fast config: 96 two-spiral points, an MLP 2-8-2, 2 epochs on the cpu backend. */
function tiny(runDir: string, patch: Record<string, unknown> = {}) {
  return {
    backend: 'cpu',
    seed: 1,
    data: { name: 'spirals', batchSize: 16, options: { n: 120 } },
    model: { name: 'mlp', sizes: [2, 8, 2], dropout: 0.1 },
    optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9 },
    trainer: { epochs: 2 },
    runDir,
    ...patch,
  };
}

/** Runs `nntk <args>` in this process; returns the exit code and what went to stderr. */
async function nntk(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return { code: await main(args), stderr };
  } finally {
    spy.mockRestore();
    out.mockRestore();
  }
}

async function trainConfig(
  name: string,
  config: unknown,
): Promise<{ code: number; stderr: string; runDir: string }> {
  const path = join(dir, `${name}.json`);
  await writeFile(path, JSON.stringify(config));
  return { ...(await nntk(['train', path])), runDir: join(dir, name) };
}

describe('config errors: exit code 2, the path, the value, a did-you-mean, and nothing written', () => {
  const cases: [string, (runDir: string) => unknown, RegExp][] = [
    [
      'optimizer typo',
      (r) => tiny(r, { optimizer: { name: 'sgd', lr: 0.1, momentun: 0.9 } }),
      /optimizer\.momentun: unknown option for optimizer 'sgd'; did you mean 'momentum'\? \(allowed: name, lr, /,
    ],
    [
      'model typo',
      (r) => tiny(r, { model: { name: 'mlp', sizes: [2, 8, 2], dropuot: 0.1 } }),
      /model\.dropuot: unknown option for model 'mlp'; did you mean 'dropout'\?/,
    ],
    [
      'scheduler typo',
      (r) => tiny(r, { scheduler: { name: 'step', stepSize: 1, gama: 0.5 } }),
      /scheduler\.gama: unknown option for scheduler 'step'; did you mean 'gamma'\?/,
    ],
    [
      'unknown optimizer name',
      (r) => tiny(r, { optimizer: { name: 'adamm', lr: 0.1 } }),
      /optimizer\.name: unknown name "adamm"; did you mean 'adam'\?/,
    ],
    [
      'model input size that does not fit the data',
      (r) => tiny(r, { model: { name: 'mlp', sizes: [3, 8, 2] } }),
      /model: the mlp model does not fit the spirals data \(examples of shape \[2\]\)/,
    ],
    [
      'too few outputs for the classes',
      (r) => tiny(r, { model: { name: 'mlp', sizes: [2, 8, 1] } }),
      /outputs 1 values per example but the spirals data has 2 classes/,
    ],
    [
      'data option typo',
      (r) => tiny(r, { data: { name: 'spirals', batchSize: 16, options: { n: 120, noize: 0.1 } } }),
      /data\.options\.noize: unknown option for data 'spirals'; did you mean 'noise'\?/,
    ],
    [
      'early-stopping monitor typo',
      (r) => tiny(r, { callbacks: { earlyStopping: { monitor: 'val_acuracy' } } }),
      /callbacks\.earlyStopping\.monitor: "val_acuracy" is not logged by this run; did you mean 'val_accuracy'\?/,
    ],
  ];
  for (const [what, make, message] of cases) {
    it(what, async () => {
      const name = what.replace(/\W+/g, '-');
      const result = await trainConfig(name, make(join(dir, name)));
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(existsSync(result.runDir)).toBe(false);
    });
  }

  it('a JSON config with a byte-order mark is read (its errors are about its content)', async () => {
    const path = join(dir, 'bom.json');
    await writeFile(
      path,
      `\uFEFF${JSON.stringify(tiny(join(dir, 'bom'), { optimizer: { name: 'sgd', lr: 'fast' } }))}`,
    );
    const result = await nntk(['train', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('optimizer.lr: expected a positive number, got "fast"');
    expect(result.stderr).not.toContain('Unexpected token');
  });

  it('a directory as the config path', async () => {
    const path = join(dir, 'a-directory.json');
    await mkdir(path);
    const result = await nntk(['train', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path} is a directory; give the config file`);
    expect(result.stderr).not.toContain('EISDIR');
  });

  it('a deeply nested config', async () => {
    const path = join(dir, 'deep.json');
    await writeFile(path, `{"data": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    const result = await nntk(['train', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is nested more than 32 levels deep');
    const yamlPath = join(dir, 'deep.yaml');
    await writeFile(yamlPath, `data: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    expect((await nntk(['train', yamlPath])).code).toBe(2);
  });
});

describe('run directories', () => {
  it('an existing run is refused without --overwrite (exit 2, untouched); --overwrite replaces it', async () => {
    const path = join(dir, 'again.json');
    const runDir = join(dir, 'again');
    await writeFile(path, JSON.stringify(tiny(runDir)));
    expect((await nntk(['train', path])).code).toBe(0);
    const before = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8');
    const refused = await nntk(['train', path, '--optimizer.lr', '0.05']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${runDir} already holds a run`);
    expect(refused.stderr).toContain('--overwrite');
    expect(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')).toBe(before);
    const replaced = await nntk(['train', path, '--optimizer.lr', '0.05', '--overwrite']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')).optimizer.lr).toBe(0.05);
    expect(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')).not.toBe(before);
  });

  it('--resume with nothing to resume exits 2 and writes nothing', async () => {
    const path = join(dir, 'nothing.json');
    await writeFile(path, JSON.stringify(tiny(join(dir, 'nothing'))));
    const result = await nntk(['train', path, '--resume']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nothing to resume from');
    expect(existsSync(join(dir, 'nothing'))).toBe(false);
  });

  it('a NaN run (lr 1e30) stops with exit code 1 and keeps no non-finite checkpoint', async () => {
    const result = await trainConfig(
      'nan',
      tiny(join(dir, 'nan'), {
        optimizer: { name: 'adam', lr: 1e30 },
        model: { name: 'mlp', sizes: [2, 16, 16, 2] },
      }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /training stopped at step \d+ \(epoch 1\): a non-finite (loss|gradient|parameter)/,
    );
    expect(existsSync(join(result.runDir, 'checkpoints', 'last'))).toBe(false);
    expect(readFileSync(join(result.runDir, 'metrics.jsonl'), 'utf8')).toBe('');
  });
});
