import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from './index';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
let dir: string;

function nntk(args: string[], cwd = dir) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function config(runDir: string, epochs = 4) {
  return {
    backend: 'cpu',
    seed: 3,
    data: { name: 'embedded-fashion-mnist', batchSize: 50, limit: 1500 },
    model: { name: 'mlp', sizes: [784, 32, 10], dropout: 0.1 },
    optimizer: { name: 'adam', lr: 0.002 },
    scheduler: { name: 'step', stepSize: 1, gamma: 0.8 },
    trainer: { epochs },
    runDir,
  };
}

/** Resolves once the child's stderr has matched `pattern` (an event, not a clock); rejects if it exits first. */
function stderrMatch(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before ${pattern}: ${text}`)));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nntk-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('config validation', () => {
  it('names the path, the problem and the value', () => {
    const raw = { ...config('x'), optimizer: { name: 'adam', lr: 'fast' } };
    expect(() => validateConfig(raw)).toThrow('optimizer.lr: expected a positive number, got "fast"');
    expect(() => validateConfig({ ...config('x'), trainer: { epochs: 0 } })).toThrow(
      'trainer.epochs: expected a positive integer, got 0',
    );
    expect(() => validateConfig({ ...config('x'), data: { name: 'imagenet' } })).toThrow(
      /data\.name: expected one of .*, got "imagenet"$/m,
    );
  });
});

describe('the nntk command', () => {
  it('prints usage, command help, and exits 2 on bad usage', () => {
    expect(nntk(['--help']).code).toBe(0);
    const help = nntk(['train', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples');
    expect(nntk(['frobnicate']).stderr).toContain("unknown command 'frobnicate'");
    expect(nntk(['frobnicate']).code).toBe(2);
    expect(nntk(['train']).code).toBe(2);
  });

  it('rejects a bad config and a missing file with exit code 2, writing nothing', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(
      path,
      JSON.stringify({ ...config(join(dir, 'bad-run')), optimizer: { name: 'adam', lr: 'fast' } }),
    );
    const bad = nntk(['train', path]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('optimizer.lr: expected a positive number, got "fast"');
    expect(existsSync(join(dir, 'bad-run'))).toBe(false);
    const missing = nntk(['train', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('config file not found');
    const backend = nntk(['train', path, '--optimizer.lr', '0.1', '--backend', 'node-gpu']);
    expect(backend.code).toBe(2);
    expect(backend.stderr).toContain('npm install @tensorflow/tfjs-node-gpu');
  });

  it('trains from YAML with overrides and writes the run directory and report', async () => {
    const path = join(dir, 'run.yaml');
    const runDir = join(dir, 'yaml-run');
    await writeFile(
      path,
      `backend: cpu\nseed: 1\ndata: { name: spirals, batchSize: 32, options: { n: 400 } }\nmodel: { name: mlp, sizes: [2, 32, 2] }\noptimizer: { name: sgd, lr: 0.1 }\ntrainer: { epochs: 1 }\nrunDir: ${runDir}\n`,
    );
    const result = nntk(['train', path, '--trainer.epochs', '3', '--optimizer.momentum', '0.9']);
    expect(result.code, result.stderr).toBe(0);
    const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')).optimizer.momentum).toBe(0.9);
    expect(readFileSync(join(runDir, 'report', 'index.html'), 'utf8')).toContain('<svg');
    expect(readFileSync(join(runDir, 'report', 'index.html'), 'utf8')).toContain('<table class="confusion">');
  });

  it('trains with the Pruner callback from config: the final sparsity is reached and logged', async () => {
    const path = join(dir, 'pruned.json');
    const runDir = join(dir, 'pruned-run');
    const pruner = { finalSparsity: 0.6, endStep: 20, frequency: 5 };
    await writeFile(path, JSON.stringify({ ...config(runDir, 2), callbacks: { pruner } }));
    const result = nntk(['train', path]);
    expect(result.code, result.stderr).toBe(0);
    const last = JSON.parse(
      readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').pop() as string,
    );
    expect(last.sparsity).toBeCloseTo(0.6, 3);
    expect(() =>
      validateConfig({ ...config('x'), callbacks: { pruner: { ...pruner, finalSparsity: 1.2 } } }),
    ).toThrow('callbacks.pruner.finalSparsity');
  });

  it('nntk sweep: killed halfway (the whole process group), re-run skips finished runs and completes', async () => {
    const path = join(dir, 'sweep.json');
    const runDir = join(dir, 'sweep');
    const sweep = {
      grid: { 'optimizer.lr': [0.001, 0.003, 0.01, 0.03] },
      concurrency: 2,
      monitor: 'val_accuracy',
      mode: 'max',
    };
    await writeFile(
      path,
      JSON.stringify({ ...config(runDir, 2), data: { ...config(runDir).data, limit: 600 }, sweep }),
    );
    const child = spawn(process.execPath, [CLI, 'sweep', path], {
      cwd: dir,
      stdio: 'ignore',
      detached: true,
    });
    const doneFiles = () =>
      existsSync(runDir) ? readdirSync(runDir).filter((d) => existsSync(join(runDir, d, 'done.json'))) : [];
    const deadline = Date.now() + 120_000;
    while (doneFiles().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    process.kill(-(child.pid as number), 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const finishedBefore = doneFiles();
    expect(finishedBefore.length).toBeGreaterThan(0);
    expect(finishedBefore.length).toBeLessThan(4);
    expect(existsSync(join(runDir, 'summary.csv'))).toBe(false);
    const stamps = finishedBefore.map((d) => statSync(join(runDir, d, 'done.json')).mtimeMs);

    const result = nntk(['sweep', path]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.match(/\(done earlier\)/g)).toHaveLength(finishedBefore.length);
    expect(finishedBefore.map((d) => statSync(join(runDir, d, 'done.json')).mtimeMs)).toEqual(stamps);
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    expect(summary.runs.map((r: { status: string }) => r.status)).toEqual(Array(4).fill('completed'));
    const bests = summary.runs.map((r: { best: number }) => r.best);
    expect([...bests].sort((a, b) => b - a)).toEqual(bests);
    expect(readFileSync(join(runDir, 'summary.csv'), 'utf8').split('\n')[0]).toContain('best_val_accuracy');
  }, 240_000);

  it('a run killed after two epochs and resumed ends bit-identical to a straight run', async () => {
    const straightPath = join(dir, 'straight.json');
    await writeFile(straightPath, JSON.stringify(config(join(dir, 'straight'))));
    expect(nntk(['train', straightPath]).code).toBe(0);

    const killedPath = join(dir, 'killed.json');
    const runDir = join(dir, 'killed');
    await writeFile(killedPath, JSON.stringify(config(runDir)));
    const child: ChildProcess = spawn(process.execPath, [CLI, 'train', killedPath], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // The progress bar prints each finished epoch on stderr: kill on the second one (checkpoint writing
    // follows it, so the kill lands in or near the switch). Whenever it lands, the resume is exact.
    await stderrMatch(child, /epoch 2\/4/);
    child.kill('SIGKILL');
    await exited;
    const resumed = nntk(['train', killedPath, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const weights = (run: string) => readFileSync(join(dir, run, 'checkpoints', 'last', 'model.safetensors'));
    expect(weights('killed').equals(weights('straight'))).toBe(true);
    const optimizerState = (run: string) =>
      readFileSync(join(dir, run, 'checkpoints', 'last', 'optimizer.safetensors'));
    expect(optimizerState('killed').equals(optimizerState('straight'))).toBe(true);
    const strip = (run: string) =>
      readFileSync(join(dir, run, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => {
          const { seconds, samplesPerSecond, ...rest } = JSON.parse(l);
          return rest;
        });
    expect(strip('killed')).toEqual(strip('straight'));
  });

  it('Ctrl-C stops within a batch, saves the interrupted epoch, exits 130, and --resume finishes the run', async () => {
    const path = join(dir, 'interrupted.json');
    const runDir = join(dir, 'interrupted');
    await writeFile(path, JSON.stringify(config(runDir, 30)));
    const child: ChildProcess = spawn(process.execPath, [CLI, 'train', path], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const metrics = join(runDir, 'metrics.jsonl');
    // 30 epochs: far more than can finish between the first epoch line and the signal, however loaded
    // the machine; SIGINT is seen within one batch, the interrupted epoch is saved as such.
    await stderrMatch(child, /epoch 1\/30/);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('continue with: nntk train');
    const state = JSON.parse(readFileSync(join(runDir, 'checkpoints', 'last', 'state.json'), 'utf8'));
    const done = readFileSync(metrics, 'utf8').trim().split('\n').filter(Boolean).length;
    expect(state.epoch).toBe(done);
    const resumed = nntk(['train', path, '--resume', '--trainer.epochs', String(done + 1)]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resumed from .*checkpoints\/last \(continuing at epoch \d+/);
    expect(readFileSync(metrics, 'utf8').trim().split('\n')).toHaveLength(done + 1);
  });

  it('doctor lists the backends and picks the fastest working one', () => {
    const result = nntk(['doctor']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok {3}cpu/);
    expect(result.stdout).toMatch(/ok {3}wasm .*SIMD/);
    expect(result.stdout).toMatch(/no {3}node-gpu .*npm install @tensorflow\/tfjs-node-gpu/);
    expect(result.stdout).toMatch(/fastest working backend here: (cpu|wasm|webgpu)/);
    // CI installs Mesa's GLES, so webgpu works there through Dawn, on a software adapter said to be one.
    if (process.env.CI) expect(result.stdout).toMatch(/ok {3}webgpu .*adapter .*via (opengles|vulkan)/);
    else expect(result.stdout).toMatch(/(ok|no) {2,3}webgpu/);
    expect(`${result.stdout}${result.stderr}`).not.toContain('install our node backend');
  });
});
