import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RedisHandle, startRedis } from '../../runs/test-fixtures/redis-server';

const CLI = new URL('../dist/cli.js', import.meta.url).pathname;
let dir: string;
let redis: RedisHandle;
const children: ChildProcess[] = [];

function nntk(args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `nntk <args>` in the background, its stdout collected line by line. */
function background(args: string[]) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  const listeners: (() => void)[] = [];
  child.stdout?.on('data', (c) => {
    out += c;
    for (const l of [...listeners]) l();
  });
  child.stderr?.on('data', (c) => {
    err += c;
  });
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return {
    child,
    exit,
    output: () => out,
    errors: () => err,
    /** Resolves with the first stdout match of `re` (rejects if the process ends first). */
    waitFor: (re: RegExp) =>
      new Promise<RegExpMatchArray>((done, fail) => {
        const look = () => {
          const m = out.match(re);
          if (m) {
            listeners.splice(listeners.indexOf(look), 1);
            done(m);
          }
        };
        listeners.push(look);
        look();
        void exit.then((code) =>
          fail(new Error(`nntk ${args[0]} exited (${code}) first: ${err.slice(-2000)}`)),
        );
      }),
  };
}

function whenExists(path: string): Promise<void> {
  return new Promise((done) => {
    const look = () => (existsSync(path) ? done() : setTimeout(look, 20));
    look();
  });
}

function sweepConfig(runDir: string) {
  return {
    backend: 'cpu',
    seed: 1,
    data: { name: 'spirals', options: { n: 300 }, batchSize: 50 },
    model: { name: 'mlp', sizes: [2, 16, 2] },
    optimizer: { name: 'adam', lr: 0.01 },
    trainer: { epochs: 2 },
    runDir,
    sweep: {
      grid: { 'optimizer.lr': [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2] },
      concurrency: 2,
      pruner: { name: 'asha', minEpochs: 1, reductionFactor: 2 },
    },
  };
}

/** Summary rows without the wall-clock keys every epoch log carries. */
function deterministic(summaryPath: string) {
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
  return summary.runs.map((r: { final: Record<string, number> }) => {
    const { seconds, samplesPerSecond, ...final } = r.final;
    return { ...r, final };
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nntk-worker-'));
  redis = await startRedis();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await redis?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('nntk worker and nntk sweep --queue', () => {
  it('8 trials with ASHA on two workers, one SIGKILLed mid-trial: each trial ends exactly once and the summary (pruned trials included) equals the local sweep', async () => {
    await writeFile(join(dir, 'queued.json'), JSON.stringify(sweepConfig(join(dir, 'queued'))));
    await writeFile(join(dir, 'local.json'), JSON.stringify(sweepConfig(join(dir, 'local'))));
    const a = background(['worker', '--queue', redis.url, '--run-root', join(dir, 'root-a')]);
    const b = background(['worker', '--queue', redis.url, '--run-root', join(dir, 'root-b')]);
    const submitter = background(['sweep', join(dir, 'queued.json'), '--queue', redis.url]);
    const [, killedRun, sweepId] = await a.waitFor(/worker: (\S+) started \(sweep ([0-9a-f]+)\)/);
    await whenExists(join(dir, 'root-a', sweepId, killedRun, 'config.json'));
    a.child.kill('SIGKILL');
    expect(await submitter.exit, submitter.errors()).toBe(0);
    b.child.kill('SIGTERM');
    await b.exit;
    expect(a.output()).not.toMatch(/ (completed|pruned), best/);
    const completedOnB = [...b.output().matchAll(/worker: (\S+) (?:completed|pruned), best/g)].map(
      (m) => m[1],
    );
    expect(completedOnB.filter((r) => r === killedRun)).toHaveLength(1);
    expect(new Set(completedOnB).size).toBe(completedOnB.length);
    expect(submitter.output()).toContain('sweep 8/8 done');

    const local = nntk(['sweep', join(dir, 'local.json')]);
    expect(local.code, local.stderr).toBe(0);
    const queued = deterministic(join(dir, 'queued', 'summary.json'));
    expect(queued).toHaveLength(8);
    const statuses = queued.map((r: { status: string }) => r.status);
    expect(statuses).toContain('pruned');
    expect(statuses).toContain('completed');
    // nntk train waits for each decision: a pruned trial trained exactly its first rung.
    for (const r of queued) expect(r.epochs).toBe(r.status === 'pruned' ? 1 : 2);
    expect(queued).toEqual(deterministic(join(dir, 'local', 'summary.json')));
    const report = readFileSync(join(dir, 'queued', 'sweep-report.html'), 'utf8');
    for (const heading of [
      'Configurations, ranked (mean ± std over seeds)',
      'Each hyperparameter against the objective',
      'Parallel coordinates',
      "Best runs' curves",
    ])
      expect(report).toContain(heading);
    // One plot per hyperparameter (optimizer.lr), the parallel coordinates and the curves: inline SVG.
    expect((report.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
  }, 300_000);

  it('Redis unreachable: a clear error naming the URL without its password; worker needs --queue', async () => {
    await writeFile(join(dir, 'down.json'), JSON.stringify(sweepConfig(join(dir, 'down'))));
    const port = await freePort();
    const down = nntk(['sweep', join(dir, 'down.json'), '--queue', `redis://me:s3cret@127.0.0.1:${port}`]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`cannot reach Redis at redis://***:***@127.0.0.1:${port}`);
    expect(down.stderr + down.stdout).not.toContain('s3cret');
    const noQueue = nntk(['worker']);
    expect(noQueue.code).toBe(2);
    expect(noQueue.stderr).toContain('nntk worker needs --queue redis://host:port');
  });

  it('keys that would reach a prototype are rejected: CLI overrides and grid keys', async () => {
    const cfg = sweepConfig(join(dir, 'proto'));
    const { sweep: _, ...train } = cfg;
    await writeFile(join(dir, 'train.json'), JSON.stringify(train));
    const override = nntk(['train', join(dir, 'train.json'), '--__proto__.polluted', '1']);
    expect(override.code).toBe(2);
    expect(override.stderr).toContain(
      "command-line override '__proto__.polluted' has the segment '__proto__'",
    );
    const ctor = nntk(['train', join(dir, 'train.json'), '--model.constructor.prototype.x', '1']);
    expect(ctor.stderr).toContain("has the segment 'constructor'");
    await writeFile(
      join(dir, 'proto.json'),
      JSON.stringify({ ...cfg, sweep: { grid: { '__proto__.x': [1, 2] } } }),
    );
    const grid = nntk(['sweep', join(dir, 'proto.json')]);
    expect(grid.code).toBe(2);
    expect(grid.stderr).toContain("runSweep: grid key '__proto__.x' has the segment '__proto__'");
    expect(existsSync(join(dir, 'proto'))).toBe(false);
  });
});
