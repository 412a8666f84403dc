import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `pnpm nntk` runs scripts/nntk.mjs: the CLI from the TypeScript sources, with signals passed on.
const WRAPPER = new URL('../../../scripts/nntk.mjs', import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nntk-wrapper-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function epochsWritten(runDir: string): number {
  const metrics = join(runDir, 'metrics.jsonl');
  return existsSync(metrics) ? readFileSync(metrics, 'utf8').split('\n').filter(Boolean).length : 0;
}

describe('scripts/nntk.mjs (pnpm nntk)', () => {
  it('runs the CLI from the sources and passes its exit code on', () => {
    const version = spawnSync(process.execPath, [WRAPPER, '--version'], { cwd: dir, encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^nntk \d+\.\d+\.\d+/);
    const bad = spawnSync(process.execPath, [WRAPPER, 'trian'], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("did you mean 'train'?");
  });

  it('forwards SIGINT to the training child and waits for its checkpoint; exit code 130', async () => {
    const runDir = join(dir, 'run');
    const config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        backend: 'cpu',
        data: { name: 'embedded-fashion-mnist', batchSize: 50, limit: 1000 },
        model: { name: 'mlp', sizes: [784, 16, 10] },
        optimizer: { name: 'adam', lr: 0.002 },
        trainer: { epochs: 200 },
        runDir,
      }),
    );
    const child = spawn(process.execPath, [WRAPPER, 'train', config], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait for the first epoch's line in metrics.jsonl (an event: the file changes), then press Ctrl-C.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (epochsWritten(runDir) >= 1) {
          clearInterval(timer);
          resolve();
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`nntk exited early (${child.exitCode}): ${stderr}`));
        }
      }, 50);
    });
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(stderr).toContain('interrupted');
    expect(existsSync(join(runDir, 'checkpoints', 'last', 'state.json'))).toBe(true);
    expect(epochsWritten(runDir)).toBeLessThan(200);
  });
});
