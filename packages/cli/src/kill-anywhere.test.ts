import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 18's kill-anywhere test: runs of the built CLI are SIGKILLed at random moments of training and
// of checkpoint writing, two at a time, and resumed until they finish; each must end bit-identical to
// an uninterrupted run. (Faults between every two file-system steps of the checkpoint switch are
// injected in-process in @nntk/trainer's crash-safety test.)

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
const EPOCHS = 40;
const KILLS_PER_CHAIN = 11;
let dir: string;

function config(runDir: string) {
  return {
    backend: 'cpu',
    seed: 2,
    data: { name: 'spirals', batchSize: 16, options: { n: 120 } },
    model: { name: 'mlp', sizes: [2, 16, 2], dropout: 0.1 },
    optimizer: { name: 'adam', lr: 0.01 },
    scheduler: { name: 'step', stepSize: 5, gamma: 0.9 },
    trainer: { epochs: EPOCHS },
    runDir,
  };
}

/** Resolves with the exit status; `onEpoch` sees each finished epoch (the progress bar's stderr line). */
function run(args: string[], onEpoch?: (child: ChildProcess) => void) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr += text;
    if (onEpoch && new RegExp(`epoch \\d+/${EPOCHS}`).test(text)) onEpoch(child);
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
}

/** Kills and resumes one run until it finishes; returns how many kills hit a live process. */
async function killChain(runDir: string, path: string): Promise<number> {
  let kills = 0;
  for (let life = 0; life < 60; life++) {
    const last = join(runDir, 'checkpoints', 'last');
    const resumable =
      existsSync(join(last, 'state.json')) || existsSync(join(`${last}.previous`, 'state.json'));
    const args = ['train', path, resumable ? '--resume' : '--overwrite'];
    if (kills >= KILLS_PER_CHAIN) {
      const final = await run(args);
      expect(final.code, final.stderr).toBe(0);
      return kills;
    }
    // At the first finished epoch of this life: kill at once (while the checkpoint is being switched
    // in) or after a random moment of training.
    const delay = Math.random() < 0.4 ? 0 : Math.random() * 80;
    let armed = true;
    const result = await run(args, (child) => {
      if (!armed) return;
      armed = false;
      setTimeout(() => child.kill('SIGKILL'), delay);
    });
    if (result.signal === 'SIGKILL') kills += 1;
    else if (result.code === 0) return kills;
    else expect.fail(`a resumed run failed (${result.code}): ${result.stderr}`);
  }
  return expect.fail('the run never finished');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nntk-kill-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('kill anywhere (issue 18)', () => {
  it('>= 20 SIGKILLs at random moments, each resumed: the runs end bit-identical to a straight one', async () => {
    const straightPath = join(dir, 'straight.json');
    await writeFile(straightPath, JSON.stringify(config(join(dir, 'straight'))));
    const straight = spawnSync(process.execPath, [CLI, 'train', straightPath], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(straight.status, straight.stderr).toBe(0);

    const chains = ['a', 'b'].map(async (name) => {
      const path = join(dir, `${name}.json`);
      await writeFile(path, JSON.stringify(config(join(dir, name))));
      return killChain(join(dir, name), path);
    });
    const kills = await Promise.all(chains);
    expect(kills[0] + kills[1]).toBeGreaterThanOrEqual(20);

    const file = (run: string, name: string) => readFileSync(join(dir, run, 'checkpoints', 'last', name));
    const epochs = (run: string) =>
      readFileSync(join(dir, run, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => {
          const { seconds: _s, samplesPerSecond: _p, ...rest } = JSON.parse(line);
          return rest;
        });
    for (const name of ['a', 'b']) {
      expect(file(name, 'model.safetensors').equals(file('straight', 'model.safetensors'))).toBe(true);
      expect(file(name, 'optimizer.safetensors').equals(file('straight', 'optimizer.safetensors'))).toBe(
        true,
      );
      expect(epochs(name)).toEqual(epochs('straight'));
    }
  }, 400_000);
});
