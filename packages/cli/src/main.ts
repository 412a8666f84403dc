import { readFileSync } from 'node:fs';
import { NntkError } from '@nntk/core';
import type { Command, ParsedArgs } from './command';
import { COMMANDS } from './commands';
import { didYouMean } from './internal/did-you-mean';
import { quietTfjsBanner } from './internal/quiet-tfjs';
import { parseCommandArgs } from './parse-args';

export type { ParsedArgs } from './command';

export const usage = `nntk: a neural-network training kit for TypeScript

Usage: nntk <command> [options]
       nntk --help | --version

Commands:
${COMMANDS.map((c) => `  ${c.synopsis.padEnd(20)} ${c.summary}`).join('\n')}

Run 'nntk <command> --help' for a command's options and examples.
Exit codes: 0 success, 1 failure, 2 bad usage, 130 interrupted (a checkpoint was saved).`;

const BAD_USAGE = new Set([
  'INVALID_CONFIG',
  'INVALID_OPTION',
  'FILE_NOT_FOUND',
  'UNKNOWN_BACKEND',
  'BACKEND_NOT_INSTALLED',
  'USAGE',
]);

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command;
  const names = COMMANDS.map((c) => c.name);
  throw new NntkError(
    'USAGE',
    `unknown command '${name}'${didYouMean(name, names)} (commands: ${names.join(', ')})`,
  );
}

/**
 * Parses argv (without `node` and the script): the command, then its own flags (`node:util` parseArgs)
 * and `--key.path value` config overrides. Throws a `USAGE` NntkError with a "did you mean" for unknown
 * commands and flags.
 */
export function parseArgs(argv: string[]): ParsedArgs {
  const index = argv.findIndex((a) => !a.startsWith('-'));
  if (index === -1) {
    const flag = argv.find((a) => !['--help', '-h', '--version', '-V'].includes(a));
    if (flag)
      throw new NntkError(
        'USAGE',
        `unknown option ${flag}${didYouMean(flag.replace(/^-+/, ''), ['help', 'version'], '--')}`,
      );
    return {
      positional: [],
      options: {},
      overrides: [],
      flags: new Set(argv.map((a) => a.replace(/^-+/, ''))),
    };
  }
  if (index > 0)
    throw new NntkError(
      'USAGE',
      `options go after the command: nntk ${argv[index]} ${argv.slice(0, index).join(' ')}`,
    );
  return parseCommandArgs(findCommand(argv[0]), argv.slice(1));
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return `nntk ${manifest.version}`;
}

/** The message of an error as the user should see it: one `nntk <command>:` prefix, no stack for NntkErrors. */
function describeError(command: string | undefined, error: unknown): string {
  const prefix = command ? `nntk ${command}: ` : 'nntk: ';
  if (!(error instanceof Error)) return `${prefix}${String(error)}\n`;
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return `${prefix}${message}\n${NntkError.isInstance(error) ? '' : `${error.stack ?? ''}\n`}`;
}

/** Runs the nntk command line; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  quietTfjsBanner();
  let args: ParsedArgs;
  try {
    // `nntk help train` and `nntk --help train` read as `nntk train --help`.
    const helpFirst = argv[0] === 'help' || (['--help', '-h'].includes(argv[0]) && argv.length > 1);
    args = parseArgs(helpFirst ? [...argv.slice(1), '--help'] : argv);
  } catch (error) {
    const command = COMMANDS.find((c) => c.name === argv[0])?.name;
    const help = command ? `nntk ${command} --help` : 'nntk --help';
    process.stderr.write(`${describeError(command, error)}Run '${help}' for usage.\n`);
    return 2;
  }
  if (!args.command) {
    if (args.flags.has('version') || args.flags.has('V')) process.stdout.write(`${version()}\n`);
    else if (args.flags.size) process.stdout.write(`${usage}\n`);
    else process.stderr.write(`${usage}\n`);
    return args.flags.size ? 0 : 2;
  }
  const command = findCommand(args.command);
  if (args.flags.has('help')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  if (args.positional.length < (command.minPositional ?? 0)) {
    process.stderr.write(`nntk ${command.name}: missing argument: ${command.synopsis}\n\n${command.help}\n`);
    return 2;
  }
  try {
    return await command.run(args);
  } catch (error) {
    process.stderr.write(describeError(command.name, error));
    return BAD_USAGE.has((error as NntkError).code) ? 2 : 1;
  }
}
