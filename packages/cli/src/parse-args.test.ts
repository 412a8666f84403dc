import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editDistance } from '@nntk/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMANDS } from './commands';
import { main, parseArgs } from './main';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nntk-args-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `main` in this process and collects what it writes. */
async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('parseArgs', () => {
  it("splits a command's flags from dotted config overrides, in order", () => {
    const args = parseArgs(['train', 'run.yaml', '--optimizer.lr', '0.01', '--resume', '--runDir=runs/x']);
    expect(args.command).toBe('train');
    expect(args.positional).toEqual(['run.yaml']);
    expect([...args.flags]).toEqual(['resume']);
    expect(args.overrides).toEqual([
      ['optimizer.lr', '0.01'],
      ['runDir', 'runs/x'],
    ]);
  });

  it("keeps lr-find's --start/--end/--iterations as flags, not config overrides", () => {
    const args = parseArgs(['lr-find', 'cfg.json', '--start', '1e-5', '--end', '1', '--iterations', '60']);
    expect(args.options).toEqual({ start: '1e-5', end: '1', iterations: '60' });
    expect(args.overrides).toEqual([]);
  });

  it('suggests the closest command, flag or config key', () => {
    expect(() => parseArgs(['trian', 'x'])).toThrow("unknown command 'trian'; did you mean 'train'?");
    expect(() => parseArgs(['lr-find', 'x', '--strat', '1'])).toThrow(
      "unknown option --strat; did you mean '--start'?",
    );
    expect(() => parseArgs(['train', 'x', '--resum'])).toThrow("did you mean '--resume'?");
    expect(() => parseArgs(['train', 'x', '--optimiser.lr', '1'])).toThrow("did you mean '--optimizer.lr'?");
    expect(() => parseArgs(['demo', '--epoch', '2'])).toThrow("did you mean '--epochs'?");
    expect(() => parseArgs(['doctor', '--optimizer.lr', '1'])).toThrow('unknown option --optimizer.lr');
    expect(() => parseArgs(['demo', '--epochs'])).toThrow('--epochs needs a value');
    expect(() => parseArgs(['train', 'x', '--resume=yes'])).toThrow('--resume takes no value');
    expect(() => parseArgs(['train', 'x', '--optimizer.lr'])).toThrow('--optimizer.lr needs a value');
  });

  it('counts a swap of two letters as one edit', () => {
    expect(editDistance('trian', 'train')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('nntk', () => {
  it('--help and <command> --help print help and exit 0; --version prints the version', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toContain(command.synopsis);
    for (const command of COMMANDS) {
      const own = await run([command.name, '--help']);
      expect(own.code, command.name).toBe(0);
      expect(own.stdout).toBe(`${command.help}\n`);
    }
    expect((await run(['help', 'lr-find'])).stdout).toContain('--iterations');
    expect((await run(['--help', 'lr-find'])).stdout).toContain('--iterations');
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V'])
      expect(await run([flag])).toMatchObject({ code: 0, stdout: `nntk ${manifest.version}\n` });
  });

  it('exits 2 with one prefix and a pointer to the help on bad usage', async () => {
    const unknown = await run(['lr-find', 'x.json', '--strat', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "nntk lr-find: unknown option --strat; did you mean '--start'? (a config override names a config key: --optimizer.lr 0.01, --runDir runs/x)\nRun 'nntk lr-find --help' for usage.\n",
    );
    expect((await run([])).code).toBe(2);
    expect((await run(['train'])).stderr).toContain('nntk train: missing argument: train <config>');
    const report = await run(['report', join(dir, 'no-such-run')]);
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/^nntk report: \S*no-such-run has no metrics\.jsonl/);
    expect(report.stderr).not.toMatch(/nntk report: nntk report|writeReport/);
  });

  it('names an enum value once, with the allowed values and a suggestion', async () => {
    const path = join(dir, 'enum.json');
    const data = { name: 'mnits' };
    const base = { model: { name: 'mlp' }, optimizer: { name: 'sgd', lr: 0.1 }, trainer: { epochs: 1 } };
    await writeFile(path, JSON.stringify({ ...base, data }));
    const result = await run(['train', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'data.name: expected one of embedded-fashion-mnist, fashion-mnist, mnist, cifar10, spirals, moons, blobs, manifold, got "mnits"; did you mean \'mnist\'?',
    );
    expect(result.stderr.match(/mnits/g)).toHaveLength(1);
  });

  it('rejects a flag value that is not a number before doing anything', async () => {
    const result = await run(['lr-find', join(dir, 'missing.json'), '--iterations', '6.5']);
    expect(result).toMatchObject({
      code: 2,
      stderr: 'nntk lr-find: --iterations must be a positive integer number, got "6.5"\n',
    });
    const order = await run(['lr-find', join(dir, 'missing.json'), '--start', '1', '--end', '0.1']);
    expect(order).toMatchObject({ code: 2, stderr: 'nntk lr-find: --end (0.1) must be above --start (1)\n' });
  });

  it('runs `lr-find cfg --start 1e-5 --end 1 --iterations 60` with a config override', async () => {
    const runDir = join(dir, 'lr');
    const config = join(dir, 'lr.json');
    await writeFile(
      config,
      JSON.stringify({
        backend: 'cpu',
        data: { name: 'embedded-fashion-mnist', batchSize: 32, limit: 320 },
        model: { name: 'mlp', sizes: [784, 16, 10] },
        optimizer: { name: 'sgd', lr: 0.1 },
        trainer: { epochs: 1 },
        runDir: join(dir, 'not-this-one'),
      }),
    );
    const result = await run([
      'lr-find',
      config,
      '--start',
      '1e-5',
      '--end',
      '1',
      '--iterations',
      '60',
      '--runDir',
      runDir,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^suggested lr: \d\.\de-?\d+/);
    expect(result.stderr).toContain('lr-find [');
    const found = JSON.parse(await readFile(join(runDir, 'lr-find.json'), 'utf8'));
    expect(found.lrs[0]).toBeCloseTo(1e-5, 12);
    expect(found.lrs.length).toBeLessThanOrEqual(60);
    expect(found.lrs.length).toBeGreaterThan(10);
  });
});
