/**
 * The command line of the user-facing scripts (npm start, token, bench, resilience,
 * webhook-receiver): one parser, `--help`/`-h` on every script, and one clear line plus a usage
 * hint (exit 2, no stack trace) for an unknown option or a bad value.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP = { help: { type: 'boolean', short: 'h' } } as const;
type Config<O extends Options> = {
  args: string[];
  strict: true;
  allowPositionals: false;
  options: O & typeof HELP;
};

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
): ReturnType<typeof parseArgs<Config<O>>>['values'] {
  let values: ReturnType<typeof parseArgs<Config<O>>>['values'];
  try {
    ({ values } = parseArgs<Config<O>>({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { ...spec.options, ...HELP },
    }));
  } catch (err) {
    return usageFail(spec, parseErrorMessage(err));
  }
  if ((values as { help?: boolean }).help) {
    process.stdout.write(`${spec.usage}\n`);
    process.exit(0);
  }
  return values;
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
