import { NntkError } from '@nntk/core';
import { demo, demoHelp } from './commands/demo';
import { doctor, doctorHelp } from './commands/doctor';
import { lrFind, lrFindHelp } from './commands/lr-find';
import { report, reportHelp } from './commands/report';
import { sweep, sweepHelp } from './commands/sweep';
import { train, trainHelp } from './commands/train';

export const usage = `nntk: a neural-network training kit for TypeScript

Usage: nntk <command> [options]

Commands:
  demo                 train a real model on the embedded Fashion-MNIST subset and write a report
  train <config>       train from a JSON/YAML config (flags override config keys)
  sweep <config>       grid or random search in worker processes, resumable, ranked summary
  lr-find <config>     learning-rate range test with a suggested lr and a plot
  report <runs...>     HTML/SVG report comparing run directories
  doctor               backends installed and working, SIMD, threads, kernel fixes, GPU

Run 'nntk <command> --help' for a command's options and examples.
Exit codes: 0 success, 1 failure, 2 bad usage, 130 interrupted (a checkpoint was saved).`;

const HELP: Record<string, string> = {
  demo: demoHelp,
  train: trainHelp,
  sweep: sweepHelp,
  'lr-find': lrFindHelp,
  report: reportHelp,
  doctor: doctorHelp,
};
const NEEDS_FILE = new Set(['train', 'sweep', 'lr-find']);
const BAD_USAGE = new Set([
  'INVALID_CONFIG',
  'INVALID_OPTION',
  'FILE_NOT_FOUND',
  'UNKNOWN_BACKEND',
  'BACKEND_NOT_INSTALLED',
  'USAGE',
]);

export interface ParsedArgs {
  command?: string;
  positional: string[];
  options: Record<string, string>;
  overrides: [string, string][];
  flags: Set<string>;
}

const FLAGS = new Set(['help', 'resume', 'overwrite']);

/** Splits argv into the command, positional arguments, `--flag`s and `--key value` options. */
export function parseArgs(argv: string[]): ParsedArgs {
  const parsed: ParsedArgs = { positional: [], options: {}, overrides: [], flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') parsed.flags.add('help');
    else if (arg.startsWith('--')) {
      const [key, inline] = arg.slice(2).split(/=(.*)/s, 2);
      if (FLAGS.has(key)) parsed.flags.add(key);
      else {
        const value = inline ?? argv[++i];
        if (value === undefined) throw new NntkError('USAGE', `option --${key} needs a value`);
        parsed.options[key] = value;
        parsed.overrides.push([key, value]);
      }
    } else if (!parsed.command) parsed.command = arg;
    else parsed.positional.push(arg);
  }
  return parsed;
}

/** Runs the nntk command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`nntk: ${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  if (!args.command || args.command === 'help') {
    process.stdout.write(`${usage}\n`);
    return args.command ? 0 : 2;
  }
  const help = HELP[args.command];
  if (!help) {
    process.stderr.write(`nntk: unknown command '${args.command}'\n\n${usage}\n`);
    return 2;
  }
  if (args.flags.has('help')) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  if (NEEDS_FILE.has(args.command) && args.positional.length === 0) {
    process.stderr.write(`nntk ${args.command}: give a config file\n\n${help}\n`);
    return 2;
  }
  try {
    switch (args.command) {
      case 'demo':
        return await demo(args);
      case 'train':
        return await train(args);
      case 'sweep':
        return await sweep(args);
      case 'lr-find':
        return await lrFind(args);
      case 'report':
        return await report(args);
      default:
        return await doctor();
    }
  } catch (error) {
    const code = (error as NntkError).code;
    process.stderr.write(`nntk ${args.command}: ${(error as Error).message}\n`);
    if (!(error instanceof NntkError)) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return BAD_USAGE.has(code) ? 2 : 1;
  }
}
