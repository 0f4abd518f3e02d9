/**
 * The command line of the user-facing scripts (npm start, token, bench, resilience,
 * webhook-receiver, a2a): one parser, `--help`/`-h` on every script, and one clear line plus a usage
 * hint (exit 2, no stack trace) for an unknown option or a bad value. `parseCli` takes options only;
 * `parseCommandLine` also returns positional arguments (a2a's commands and their operands).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP = { help: { type: 'boolean', short: 'h' } } as const;
type Config<O extends Options, P extends boolean = false> = {
  args: string[];
  strict: true;
  allowPositionals: P;
  options: O & typeof HELP;
};
type Values<O extends Options> = ReturnType<typeof parseArgs<Config<O>>>['values'];

export interface CliSpec<O extends Options> {
  /** how a user runs the script, e.g. `npm start`: prefixes errors; the hint is `<command> -- --help` */
  command: string;
  /** the help text: a summary line and one line per option, `-h, --help` included */
  usage: string;
  options: O;
}

/** Parses `argv`; prints the help and exits 0 on --help, prints one line and exits 2 on a bad option. */
export function parseCli<const O extends Options>(
  spec: CliSpec<O>,
  argv: string[] = process.argv.slice(2),
): Values<O> {
  return parse(spec, argv, false).values;
}

/** As parseCli, and positional arguments are allowed: they come back in order. */
export function parseCommandLine<const O extends Options>(
  spec: CliSpec<O>,
  argv: string[],
): { values: Values<O>; positionals: string[] } {
  return parse(spec, argv, true);
}

function parse<const O extends Options>(
  spec: CliSpec<O>,
  argv: string[],
  allowPositionals: boolean,
): { values: Values<O>; positionals: string[] } {
  let parsed: { values: Values<O>; positionals: string[] };
  try {
    parsed = parseArgs<Config<O, boolean>>({
      args: argv,
      strict: true,
      allowPositionals,
      options: { ...spec.options, ...HELP },
    }) as { values: Values<O>; positionals: string[] };
  } catch (err) {
    return usageFail(spec, parseErrorMessage(err));
  }
  if ((parsed.values as { help?: boolean }).help) {
    process.stdout.write(`${spec.usage}\n`);
    process.exit(0);
  }
  return parsed;
}

/** Prints `<problem>` and where to find the options to stderr, and exits 2. */
export function usageFail(spec: Pick<CliSpec<Options>, 'command'>, problem: string): never {
  process.stderr.write(`${spec.command}: ${problem}\nSee \`${spec.command} -- --help\` for the options.\n`);
  process.exit(2);
}

/** node:util's parse errors as one short line (its own text suggests `--` for unknown options). */
function parseErrorMessage(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const quoted = /'([^']+)'/.exec(e.message ?? '')?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(quoted ?? '')}: this script takes only options`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return (e.message ?? 'invalid option value').split('. ')[0] ?? 'invalid option value';
    default:
      throw err;
  }
}
