import type { Command } from './command';
import { demo, demoHelp } from './commands/demo';
import { doctor, doctorHelp } from './commands/doctor';
import { lrFind, lrFindHelp } from './commands/lr-find';
import { report, reportHelp } from './commands/report';
import { sweep, sweepHelp } from './commands/sweep';
import { train, trainHelp } from './commands/train';
import { worker, workerHelp } from './commands/worker';

/**
 * Every `nntk` subcommand, in the order `nntk --help` lists them. Adding a command is one entry here:
 * its flags (parsed by `node:util` `parseArgs`; unknown ones get a "did you mean"), its help and its run.
 */
export const COMMANDS: Command[] = [
  {
    name: 'demo',
    synopsis: 'demo',
    summary: 'train a real model on the embedded Fashion-MNIST subset and write a report',
    help: demoHelp,
    flags: { epochs: { type: 'string' }, backend: { type: 'string' }, out: { type: 'string' } },
    run: demo,
  },
  {
    name: 'train',
    synopsis: 'train <config>',
    summary: 'train from a JSON/YAML config (--key.path value overrides a config value)',
    help: trainHelp,
    flags: { resume: { type: 'boolean' }, overwrite: { type: 'boolean' } },
    overrides: true,
    minPositional: 1,
    run: train,
  },
  {
    name: 'sweep',
    synopsis: 'sweep <config>',
    summary: 'grid or random search in worker processes, resumable, ranked summary',
    help: sweepHelp,
    flags: { queue: { type: 'string' } },
    minPositional: 1,
    run: sweep,
  },
  {
    name: 'worker',
    synopsis: 'worker --queue URL',
    summary: 'run sweep trials from a Redis queue (nntk sweep <config> --queue URL)',
    help: workerHelp,
    flags: {
      queue: { type: 'string' },
      concurrency: { type: 'string' },
      'run-root': { type: 'string' },
      name: { type: 'string' },
    },
    run: worker,
  },
  {
    name: 'lr-find',
    synopsis: 'lr-find <config>',
    summary: 'learning-rate range test with a suggested lr and a plot',
    help: lrFindHelp,
    flags: { start: { type: 'string' }, end: { type: 'string' }, iterations: { type: 'string' } },
    overrides: true,
    minPositional: 1,
    run: lrFind,
  },
  {
    name: 'report',
    synopsis: 'report <runs...>',
    summary: 'HTML report of one run, or a comparison page of several',
    help: reportHelp,
    flags: { out: { type: 'string' } },
    minPositional: 1,
    run: report,
  },
  {
    name: 'doctor',
    synopsis: 'doctor',
    summary: 'backends installed and working, SIMD, threads, kernel fixes, GPU',
    help: doctorHelp,
    run: doctor,
  },
];
