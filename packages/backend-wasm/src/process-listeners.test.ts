import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useBackend } from '@nntk/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = new URL('.', import.meta.url).pathname;
const packageDir = new URL('..', import.meta.url).pathname;

/**
 * A Node entry that starts tfjs's wasm backend (threaded when THREADS > 1), through
 * withoutAddedProcessListeners when WRAP=1, then throws. It lives under this package's node_modules so that
 * it resolves the same tfjs packages; the nntk sources it imports load through tsx.
 */
const SCRIPT = `
import * as tf from '@tensorflow/tfjs-core';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { registerThreadedWasm } from ${JSON.stringify(join(here, 'node-threads.ts'))};
import { withoutAddedProcessListeners } from ${JSON.stringify(join(here, 'process-listeners.ts'))};
const threads = Number(process.env.THREADS);
if (threads > 1) await registerThreadedWasm({ ...wasm }, threads);
const start = async () => { await tf.setBackend('wasm'); await tf.ready(); };
if (process.env.WRAP === '1') await withoutAddedProcessListeners(start);
else await start();
throw new Error('the message a user must see');
`;

function runScript(
  path: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path], {
      cwd: packageDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const longestLine = (text: string) => Math.max(...text.split('\n').map((line) => line.length));

describe('the wasm backend leaves error reporting to Node', () => {
  let dir: string;
  let script: string;
  beforeAll(async () => {
    await mkdir(join(packageDir, 'node_modules', '.cache'), { recursive: true });
    dir = await mkdtemp(join(packageDir, 'node_modules', '.cache', 'nntk-listeners-'));
    script = join(dir, 'main.mts');
    await writeFile(script, SCRIPT);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('useBackend("wasm") adds no uncaughtException / unhandledRejection listener', async () => {
    const count = () => ['uncaughtException', 'unhandledRejection'].map((e) => process.listenerCount(e));
    const before = count();
    await useBackend('wasm', { threads: 1 });
    expect(count()).toEqual(before);
  });

  it("without the wrapper tfjs's handlers print its minified source before the error (why it exists)", async () => {
    const { code, stderr } = await runScript(script, { THREADS: '1', WRAP: '0' });
    expect(code).not.toBe(1);
    expect(stderr).toContain('WasmBackendModule');
    expect(longestLine(stderr)).toBeGreaterThan(10_000);
  });

  for (const threads of ['1', '2']) {
    it(`with it, an error after starting wasm (${threads} thread(s)) is Node's plain report, exit code 1`, async () => {
      const { code, stderr } = await runScript(script, { THREADS: threads, WRAP: '1' });
      expect(stderr).toContain('Error: the message a user must see');
      expect(stderr).not.toContain('WasmBackendModule');
      expect(longestLine(stderr)).toBeLessThan(500);
      expect(code).toBe(1);
    });
  }
});
