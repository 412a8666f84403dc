import { parseArgs as parseNodeArgs } from 'node:util';
import { NntkError } from '@nntk/core';
import { assertSafeKeyPath } from '@nntk/runs';
import type { Command, ParsedArgs } from './command';
import { configSchema } from './config';
import { didYouMean } from './internal/did-you-mean';

/** The config's top-level keys (`runDir`, `optimizer`, …): the roots `--key.path value` overrides may use. */
const CONFIG_KEYS = Object.keys(configSchema.shape);

function usageError(message: string): NntkError {
  return new NntkError('USAGE', message);
}

/**
 * Splits a command's arguments into config overrides (`--optimizer.lr 0.01`, `--runDir=runs/x`) and the
 * rest. A `--name` that is one of the command's flags stays a flag; an unknown one is an error with a
 * "did you mean" over the flags and the config's keys.
 */
function takeOverrides(command: Command, argv: string[]): { rest: string[]; overrides: [string, string][] } {
  const flags = Object.keys(command.flags ?? {});
  const rest: string[] = [];
  const overrides: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (!arg.startsWith('--')) {
      rest.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (name === 'help' || flags.includes(name)) {
      rest.push(arg);
      continue;
    }
    if (command.overrides) assertSafeKeyPath(name, 'command-line override');
    const root = name.split('.')[0];
    if (!command.overrides || !CONFIG_KEYS.includes(root)) {
      const candidates = [...flags, 'help', ...(command.overrides ? CONFIG_KEYS : [])];
      const hint = command.overrides
        ? ' (a config override names a config key: --optimizer.lr 0.01, --runDir runs/x)'
        : '';
      const suggestion = didYouMean(root, candidates, '--', name.slice(root.length));
      throw usageError(`unknown option --${name}${suggestion}${hint}`);
    }
    const value = inline ?? argv[i + 1];
    if (value === undefined) throw usageError(`--${name} needs a value (--${name} <value>)`);
    if (inline === undefined) i += 1;
    overrides.push([name, value]);
  }
  return { rest, overrides };
}

/** The message of a `node:util` parseArgs error without its Node-internal phrasing. */
function describeParseError(error: Error): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1];
  if (/argument missing/.test(error.message) && option) return `${option} needs a value`;
  if (/does not take an argument/.test(error.message) && option) return `${option} takes no value`;
  return error.message;
}

/** Parses the arguments after the command name with the command's flags (`node:util` parseArgs). */
export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  const { rest, overrides } = takeOverrides(command, argv);
  let parsed: ReturnType<typeof parseNodeArgs>;
  try {
    parsed = parseNodeArgs({
      args: rest,
      options: { ...command.flags, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw usageError(describeParseError(error as Error));
  }
  const args: ParsedArgs = {
    command: command.name,
    positional: parsed.positionals,
    options: {},
    overrides,
    flags: new Set(),
  };
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') args.options[name] = value;
    else if (value === true) args.flags.add(name);
  }
  return args;
}

/**
 * A numeric flag's value (`--start 1e-5`), or `fallback` when it was not given; a value that is not a
 * (positive, or positive integer) number is a usage error naming the flag.
 */
export function numberFlag(
  args: ParsedArgs,
  name: string,
  fallback: number,
  rule: 'positive' | 'positive integer' = 'positive',
): number {
  const text = args.options[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  const ok =
    text.trim() !== '' &&
    Number.isFinite(value) &&
    value > 0 &&
    (rule === 'positive' || Number.isInteger(value));
  if (!ok) throw usageError(`--${name} must be a ${rule} number, got ${JSON.stringify(text)}`);
  return value;
}
