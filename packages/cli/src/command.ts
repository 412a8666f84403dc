/** A command's own flags, in `node:util` `parseArgs` form (`--start 1e-5`, `--resume`). */
export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** What a command receives: its positional arguments, flag values, and `--key.path value` overrides. */
export interface ParsedArgs {
  command?: string;
  positional: string[];
  /** Values of the command's string flags (`--out DIR`), by name. */
  options: Record<string, string>;
  /** Config overrides in command-line order (`--optimizer.lr 0.01` → `['optimizer.lr', '0.01']`). */
  overrides: [string, string][];
  /** The command's boolean flags that were given (`--resume`). */
  flags: Set<string>;
}

/** One `nntk` subcommand: its help, its flags, and what it runs. */
export interface Command {
  name: string;
  /** `train <config>`: the left column of `nntk --help`. */
  synopsis: string;
  /** One line for `nntk --help`. */
  summary: string;
  /** The text of `nntk <name> --help`. */
  help: string;
  flags?: FlagSpec;
  /** Whether `--key.path value` config overrides are accepted (commands that read a config). */
  overrides?: boolean;
  /** The number of positional arguments the command needs at least (a config file: 1). */
  minPositional?: number;
  run(args: ParsedArgs): Promise<number>;
}
