import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, html } from './html';
import { writeReport } from './write-report';

let dir: string;
const EVIL = 'a"><img src=x onerror=alert(1)>';

/** A run directory as `nntk train` writes it, with `lr` and `epochs` of its own. */
async function writeRun(name: string, lr: number, epochs: number): Promise<string> {
  const runDir = join(dir, name);
  await mkdir(runDir, { recursive: true });
  const metrics = Array.from({ length: epochs }, (_, epoch) => ({
    epoch,
    loss: 1 / (epoch + 1),
    accuracy: 0.5 + 0.1 * epoch,
    val_loss: 1.2 / (epoch + 1),
    val_accuracy: 0.45 + 0.1 * epoch,
    lr: lr / 10 ** epoch,
    seconds: 1.5,
    samplesPerSecond: 1000,
  }));
  await writeFile(join(runDir, 'metrics.jsonl'), `${metrics.map((m) => JSON.stringify(m)).join('\n')}\n`);
  const steps = Array.from({ length: epochs * 4 }, (_, i) => ({
    step: i + 1,
    epoch: Math.floor(i / 4),
    loss: 2 / (i + 1),
    lr: lr * Math.sin((Math.PI * (i + 0.5)) / (epochs * 4)),
  }));
  await writeFile(join(runDir, 'steps.jsonl'), `${steps.map((s) => JSON.stringify(s)).join('\n')}\n`);
  await writeFile(
    join(runDir, 'config.json'),
    JSON.stringify({
      optimizer: { name: 'adamw', lr },
      model: { name: 'mlp', note: EVIL },
      trainer: { epochs },
    }),
  );
  await writeFile(join(runDir, 'test-metrics.json'), JSON.stringify({ loss: 0.61, accuracy: 0.8125 }));
  await writeFile(
    join(runDir, 'confusion-matrix.json'),
    JSON.stringify({
      matrix: [
        [9, 1, 0],
        [0, 10, 0],
        [2, 0, 8],
      ],
      classNames: ['cat', EVIL, 'dog'],
      split: 'test',
    }),
  );
  return runDir;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nntk-report-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('html', () => {
  it('escapes every interpolated value, in text and attributes, and nests html results as they are', () => {
    const inner = html`<b>${EVIL}</b>`;
    expect(html`<p title="${EVIL}">${inner}${[EVIL, 3]}</p>`.value).toBe(
      `<p title="${escapeHtml(EVIL)}"><b>${escapeHtml(EVIL)}</b>${escapeHtml(EVIL)}3</p>`,
    );
    expect(escapeHtml(`<a href='x'>&"`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&quot;');
  });
});

describe('writeReport', () => {
  it('writes one run: escaped names, 1-based integer epochs, test metrics apart, per-step lr, confusion shares', async () => {
    const runDir = await writeRun(EVIL, 3e-4, 3);
    const result = await writeReport([runDir], join(dir, 'one'));
    const page = await readFile(result.html, 'utf8');
    expect(page).not.toContain('<img');
    // The name only ever appears escaped (in text, attributes and the SVGs' aria labels).
    expect(page.split(escapeHtml(EVIL)).join('')).not.toContain('onerror');
    expect(page).toContain(escapeHtml(EVIL));
    expect(page).toContain('test set (held out)');
    expect(page).toContain('0.8125');
    expect(page).toContain('Learning rate per step');
    expect(page).toContain('3.0e-4');
    expect(page).not.toContain('split: lr');
    // Epoch column: 1, 2, 3 as integers; never 0 or 7.000.
    const epochs = [...page.matchAll(/<tr><td class="num">(\d+)<\/td>/g)].map((m) => m[1]);
    expect(epochs).toEqual(['1', '2', '3']);
    // The confusion matrix: counts with row shares, a white zero cell, white text on the darkest cells.
    expect(page).toMatch(/>9<small>90%<\/small>/);
    expect(page).toMatch(/background:#fff;color:#bbb[^>]*>0<small><\/small>/);
    expect(page).toMatch(/background:rgb\(8,48,107\);color:#fff[^>]*>10<small>100%<\/small>/);
    expect(page).toContain('<tr><th scope="row">optimizer.lr</th><td>3e-4</td></tr>');
    expect(result.svgs.map((p) => p.split('/').pop())).toEqual([
      'loss.svg',
      'accuracy.svg',
      'loss-per-step.svg',
      'learning-rate.svg',
    ]);
    const loss = await readFile(join(dir, 'one', 'loss.svg'), 'utf8');
    expect(loss).toContain('validation');
    expect(loss).toContain('stroke-dasharray');
  });

  it('compares several runs: the settings that differ first, the shared ones folded, full run names', async () => {
    const long = 'lr-1e-3-a-rather-long-run-name-that-must-not-be-cut-2026-12-01T21-52-48';
    const runs = [await writeRun('lr-3e-4', 3e-4, 2), await writeRun(long, 1e-3, 3)];
    const page = await readFile((await writeReport(runs, join(dir, 'compare'))).html, 'utf8');
    const differ = page.slice(
      page.indexOf('Settings that differ'),
      page.indexOf('settings shared by all runs'),
    );
    expect(differ).toContain('optimizer.lr');
    expect(differ).toContain('trainer.epochs');
    expect(differ).not.toContain('optimizer.name');
    expect(page).toMatch(/<summary>3 settings shared by all runs<\/summary>/);
    expect(page).toContain(`<th scope="row" class="run">${long}</th>`);
    expect(page).toContain('nntk comparison of 2 runs');
  });

  it('says which directory is not a run directory, without a function name', async () => {
    await expect(writeReport([join(dir, 'nothing-here')], join(dir, 'x'))).rejects.toThrow(
      /^.*nothing-here has no metrics\.jsonl, so it is not a run directory/,
    );
    await expect(writeReport([], join(dir, 'x'))).rejects.toThrow('give at least one run directory');
  });
});
