import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisHandle, startRedis } from '../test-fixtures/redis-server';
import { runSweep } from './index';

const fixtures = new URL('../test-fixtures/', import.meta.url).pathname;
const USER = 'nntk-sweeper';
const SECRET = 'tls-S3cret-9f2c';
let redis: RedisHandle | undefined;
let skipReason = '';
let dir: string;
const children: ChildProcess[] = [];

/** A fixture process trusting the test CA; resolves with its exit code and everything it printed. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [join(fixtures, file), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (c) => {
    output += c;
  });
  child.stderr?.on('data', (c) => {
    output += c;
  });
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, exit, output: () => output };
}

/** Every file under `root`, as text. */
function allText(root: string): string {
  let text = '';
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    text += statSync(path).isDirectory() ? allText(path) : readFileSync(path, 'utf8');
  }
  return text;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nntk-tls-'));
  try {
    redis = await startRedis({ tls: true, user: { name: USER, password: SECRET } });
  } catch (error) {
    // Debian's redis-server 7 is built with TLS; a build without it (or no openssl) cannot run this test.
    skipReason = `redis-server with TLS could not start here: ${(error as Error).message}`;
  }
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('queue mode over TLS (rediss://) with an ACL user', () => {
  it('a sweep runs on a worker over rediss://user:password@; the password never appears in logs, summary or report', async (ctx) => {
    if (!redis?.ca) return ctx.skip(skipReason);
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: redis.ca };
    const worker = run('queue-worker.mjs', [redis.url, join(dir, 'worker')], env);
    const sweepDir = join(dir, 'sweep');
    const options = {
      base: { epochs: 2 },
      grid: { x: [0.1, 0.3, 0.6] },
      pruner: { name: 'asha', minEpochs: 1, reductionFactor: 2 },
      dir: sweepDir,
      queue: { url: redis.url },
    };
    writeFileSync(join(dir, 'options.json'), JSON.stringify(options));
    const submitter = run('sweep-submitter.mjs', [join(dir, 'options.json')], env);
    expect(await submitter.exit, submitter.output()).toBe(0);
    worker.child.kill('SIGTERM');
    await worker.exit;

    const summary = JSON.parse(readFileSync(join(sweepDir, 'summary.json'), 'utf8'));
    expect(summary.queue).toBe(`rediss://***:***@127.0.0.1:${redis.port}`);
    expect(summary.runs.map((r: { status: string }) => r.status).sort()).toEqual([
      'completed',
      'completed',
      'pruned',
    ]);
    expect(submitter.output()).toContain('"finished"');
    expect(worker.output()).toContain('"phase":"end"');
    for (const text of [
      worker.output(),
      submitter.output(),
      allText(sweepDir),
      allText(join(dir, 'worker')),
    ]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(USER);
    }
  }, 120_000);

  it('a plain redis:// client at the TLS port gets QUEUE_UNREACHABLE, without the password', async (ctx) => {
    if (!redis?.ca) return ctx.skip(skipReason);
    const plain = redis.url.replace('rediss://', 'redis://');
    const error = await runSweep({
      base: { epochs: 1 },
      grid: { x: [1] },
      dir: join(dir, 'plain'),
      queue: { url: plain },
    }).catch((e) => e);
    expect(error.code).toBe('QUEUE_UNREACHABLE');
    expect(error.message).toContain(`redis://***:***@127.0.0.1:${redis.port}`);
    expect(error.message).not.toContain(SECRET);
  }, 30_000);
});
