import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RedisHandle, startRedis } from '../test-fixtures/redis-server';
import { runSweep, type SweepOptions } from './index';

const fixtures = new URL('../test-fixtures/', import.meta.url).pathname;
const script = join(fixtures, 'quick-runner.mjs');
let redis: RedisHandle;
let dir: string;
const children: ChildProcess[] = [];

/** A fixture script in its own Node process (it imports the built @nntk/runs, as a user's would). */
function tsProcess(
  file: string,
  args: string[],
): ChildProcess & { lines: string[]; waitFor(p: (l: string) => boolean): Promise<string> } {
  const child = spawn(process.execPath, [join(fixtures, file), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  const waiters: { p: (l: string) => boolean; done: (l: string) => void }[] = [];
  let buffer = '';
  let stderr = '';
  child.stderr?.on('data', (c) => {
    stderr += c;
  });
  child.stdout?.on('data', (chunk) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters])
        if (w.p(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.done(line);
        }
    }
  });
  return Object.assign(child, {
    lines,
    waitFor: (p: (l: string) => boolean) =>
      new Promise<string>((done, fail) => {
        const hit = lines.find(p);
        if (hit) return done(hit);
        waiters.push({ p, done });
        child.once('exit', (code) =>
          setImmediate(() =>
            fail(new Error(`${file} exited (${code}) before the line came: ${stderr.slice(-2000)}`)),
          ),
        );
      }),
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) =>
    child.exitCode !== null || child.signalCode !== null ? done() : child.once('exit', () => done()),
  );
}

function waitForFile(path: string): Promise<void> {
  return new Promise((done) => {
    const look = () => (existsSync(path) ? done() : setTimeout(look, 50));
    look();
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const parse = (l: string) =>
  JSON.parse(l) as { phase?: string; name?: string; status?: string; error?: string };

beforeAll(async () => {
  redis = await startRedis();
  dir = await mkdtemp(join(tmpdir(), 'nntk-queue-'));
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('queue mode', () => {
  it('two workers share an 8-trial ASHA sweep; one is SIGKILLed mid-trial, its trial completes on the other exactly once; summary (pruned trials included) equals the local run', async () => {
    const goDir = join(dir, 'go-1');
    await mkdir(goDir, { recursive: true });
    const base = { epochs: 3, waitForGo: true, goDir };
    const grid = { x: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7] };
    const a = tsProcess('queue-worker.mjs', [redis.url, join(dir, 'worker-a')]);
    const pruner = { name: 'asha' as const, minEpochs: 1, reductionFactor: 2 };
    const submitted = runSweep({
      base,
      grid,
      pruner,
      dir: join(dir, 'queued'),
      queue: { url: redis.url },
      monitor: 'val_loss',
    });
    const started = parse(await a.waitFor((l) => parse(l).phase === 'start'));
    const killedRun = started.name as string;
    await waitForFile(
      join(dir, 'worker-a', await sweepDirOf(join(dir, 'worker-a')), killedRun, 'metrics.jsonl'),
    );
    const trialPid = Number(
      readFileSync(join(dir, 'worker-a', await sweepDirOf(join(dir, 'worker-a')), killedRun, 'pid'), 'utf8'),
    );
    a.kill('SIGKILL');
    await exited(a);
    // The killed worker's trial process dies with it (no orphan trains on).
    await new Promise<void>((done) => {
      const look = () => (alive(trialPid) ? setTimeout(look, 50) : done());
      look();
    });
    writeFileSync(join(goDir, 'go'), '');
    const b = tsProcess('queue-worker.mjs', [redis.url, join(dir, 'worker-b')]);
    const queued = await submitted;
    b.kill('SIGTERM');
    await exited(b);
    expect(queued.rows).toHaveLength(8);
    // Sequential ASHA over x = 0 … 0.7 (loss (x − 0.3)² + 1/epoch): x = 0.5, 0.6, 0.7 stop at rung 1.
    expect(queued.rows.map((r) => `${r.run.slice(0, 3)}:${r.status}@${r.epochs}`).sort()).toEqual([
      '000:completed@3',
      '001:completed@3',
      '002:completed@3',
      '003:completed@3',
      '004:completed@3',
      '005:pruned@1',
      '006:pruned@1',
      '007:pruned@1',
    ]);
    const ends = b.lines
      .map(parse)
      .filter((e) => e.phase === 'end')
      .map((e) => e.name);
    expect(ends.filter((n) => n === killedRun)).toHaveLength(1);
    expect(a.lines.map(parse).filter((e) => e.phase === 'end')).toHaveLength(0);
    expect([...ends].sort()).toEqual(queued.rows.map((r) => r.run).sort());
    const killedRow = queued.rows.find((r) => r.run === killedRun);
    expect(queued.histories[killedRun]).toHaveLength(killedRow?.epochs ?? -1);

    const local = await runSweep({
      base,
      grid,
      pruner,
      dir: join(dir, 'local'),
      runner: { script },
      concurrency: 2,
      monitor: 'val_loss',
    });
    expect(queued.rows).toEqual(local.rows);
    expect(queued.configurations).toEqual(local.configurations);
    const summary = readFileSync(queued.json, 'utf8');
    expect(summary).toContain(`"queue": "${redis.url}"`);
  }, 120_000);

  it('a SIGKILLed submitter re-run reattaches and finishes; jobs from another schema version are rejected', async () => {
    const w = tsProcess('queue-worker.mjs', [redis.url, join(dir, 'worker-w')]);
    const options: SweepOptions = {
      base: { epochs: 2 },
      grid: { x: [0.05, 0.15, 0.25, 0.35] },
      dir: join(dir, 'resubmitted'),
      queue: { url: redis.url },
    };
    const file = join(dir, 'submit.json');
    writeFileSync(file, JSON.stringify(options));
    const s = tsProcess('sweep-submitter.mjs', [file]);
    await s.waitFor((l) => l.includes('"completed"'));
    s.kill('SIGKILL');
    await exited(s);
    const skipped: boolean[] = [];
    const again = await runSweep({ ...options, onRunEnd: (_row, info) => skipped.push(info.skipped) });
    expect(again.rows.map((r) => r.status)).toEqual(Array(4).fill('completed'));
    expect(new Set(again.rows.map((r) => r.run)).size).toBe(4);
    expect(skipped.filter(Boolean).length).toBeGreaterThanOrEqual(1);

    const other = await runSweep({
      base: { epochs: 1 },
      grid: { x: [0.5] },
      dir: join(dir, 'other-version'),
      queue: { url: redis.url, schemaVersion: 2 },
    });
    expect(other.rows[0].status).toBe('failed');
    expect(other.rows[0].error).toContain(
      'submitted with config schema version 2, this worker runs version 1',
    );
    const invalid = await runSweep({
      base: {},
      grid: { x: [0.5] },
      dir: join(dir, 'invalid'),
      queue: { url: redis.url },
    });
    expect(invalid.rows[0].error).toContain('config.epochs: expected a number');

    // TPE proposals and ASHA decisions over the queue (curves shared in Redis) equal the local sweep's:
    // each trial waits for its rung's decision, which depends only on the earlier trials.
    const search = {
      base: { epochs: 4 },
      tpe: { space: { x: { uniform: [0, 1] as [number, number] } }, trials: 6, nStartupTrials: 3 },
      pruner: { name: 'asha' as const, minEpochs: 1, reductionFactor: 2 },
      concurrency: 1,
    };
    const queued = await runSweep({ ...search, dir: join(dir, 'tpe-queued'), queue: { url: redis.url } });
    const local = await runSweep({ ...search, dir: join(dir, 'tpe-local'), runner: { script } });
    expect(queued.rows).toEqual(local.rows);
    expect(queued.configurations).toEqual(local.configurations);
    expect(queued.rows.some((r) => r.status === 'pruned')).toBe(true);
    w.kill('SIGTERM');
    await exited(w);
  }, 120_000);

  it('Redis unreachable: a clear NntkError with the URL, credentials redacted, no hang', async () => {
    const port = await freePort();
    const url = `redis://nntk:hunter2@127.0.0.1:${port}/0`;
    const error = await runSweep({
      base: {},
      grid: { x: [1] },
      dir: join(dir, 'down'),
      queue: { url },
    }).catch((e) => e);
    expect(error.code).toBe('QUEUE_UNREACHABLE');
    expect(error.message).toContain(`cannot reach Redis at redis://***:***@127.0.0.1:${port}/0`);
    expect(error.message).not.toContain('hunter2');
    await expect(
      runSweep({ base: {}, dir: join(dir, 'down'), queue: { url: 'http://127.0.0.1:1' } }),
    ).rejects.toThrow('queue: http://127.0.0.1:1 must start with redis:// or rediss:// (TLS)');
  });
});

describe('local mode', () => {
  it('its trial processes die with a SIGKILLed parent (no orphans)', async () => {
    const goDir = join(dir, 'go-never');
    await mkdir(goDir, { recursive: true });
    const file = join(dir, 'local.json');
    const sweepDir = join(dir, 'orphans');
    writeFileSync(
      file,
      JSON.stringify({
        base: { epochs: 3, waitForGo: true, goDir },
        grid: { x: [0.1, 0.2] },
        concurrency: 2,
        dir: sweepDir,
      }),
    );
    const s = tsProcess('sweep-submitter.mjs', [file]);
    const pidFiles = ['000-x=0.1', '001-x=0.2'].map((n) => join(sweepDir, n, 'pid'));
    await Promise.all(pidFiles.map(waitForFile));
    const pids = pidFiles.map((f) => Number(readFileSync(f, 'utf8')));
    expect(pids.every(alive)).toBe(true);
    s.kill('SIGKILL');
    await exited(s);
    await new Promise<void>((done) => {
      const look = () => (pids.some(alive) ? setTimeout(look, 50) : done());
      look();
    });
    expect(pids.some(alive)).toBe(false);
  }, 60_000);
});

async function sweepDirOf(root: string): Promise<string> {
  await waitForFile(root);
  const { readdirSync } = await import('node:fs');
  return new Promise((done) => {
    const look = () => {
      const ids = readdirSync(root);
      if (ids.length) done(ids[0]);
      else setTimeout(look, 50);
    };
    look();
  });
}
