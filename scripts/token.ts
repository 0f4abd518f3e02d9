/**
 * Mints a dev token with the local dev issuer (key in .local/) and prints only the token, so
 * `TOKEN=$(npm run -s token -- --tenant acme --agent echo)` works.
 */
import { parseArgs } from 'node:util';
import { ALL_SCOPES, loadOrCreateDevIssuer, type MintOptions } from '../authorizer/dev-issuer';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from '../authorizer/token-lifetime';

/** The gateway and the authorizer refuse longer-lived tokens by default. */
const MAX_TTL_SECONDS = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;

const USAGE = `Usage: npm run -s token -- [options]
  --tenant <id>        tenant claim (default: local)
  --sub <subject>      subject (default: dev-user)
  --scopes "<s> <s>"   space- or comma-separated scopes (default: ${ALL_SCOPES.join(' ')})
  --ttl <seconds>      lifetime in seconds (default: 3600, at most ${MAX_TTL_SECONDS})
  --agent <id>         adds scope agent:<id>; repeatable
  --help               show this help`;

class UsageError extends Error {}

function parse(argv: string[]): MintOptions | 'help' {
  let values: ReturnType<typeof parseOptions>['values'];
  try {
    ({ values } = parseOptions(argv));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return 'help';
  const problems: string[] = [];
  const tenant = values.tenant ?? 'local';
  if (tenant.trim() === '') problems.push('--tenant must not be empty');
  const subject = values.sub ?? 'dev-user';
  if (subject.trim() === '') problems.push('--sub must not be empty');
  const scopes = values.scopes === undefined ? [...ALL_SCOPES] : splitList(values.scopes);
  for (const scope of scopes) {
    const known = (ALL_SCOPES as readonly string[]).includes(scope) || /^agent:[^\s:]+$/.test(scope);
    if (!known)
      problems.push(`unknown scope ${JSON.stringify(scope)} (known: ${ALL_SCOPES.join(', ')}, agent:<id>)`);
  }
  let ttlSeconds = 3600;
  if (values.ttl !== undefined) {
    ttlSeconds = /^\d+$/.test(values.ttl) ? Number(values.ttl) : Number.NaN;
    if (!(ttlSeconds > 0 && ttlSeconds <= MAX_TTL_SECONDS)) {
      problems.push(`--ttl must be a whole number of seconds between 1 and ${MAX_TTL_SECONDS}`);
    }
  }
  const agents = (values.agent ?? []).flatMap(splitList);
  for (const agent of agents) {
    if (!/^[A-Za-z0-9._-]+$/.test(agent)) problems.push(`invalid agent id ${JSON.stringify(agent)}`);
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return { tenant, subject, scopes, ttlSeconds, agents };
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      tenant: { type: 'string' },
      sub: { type: 'string' },
      scopes: { type: 'string' },
      ttl: { type: 'string' },
      agent: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

const splitList = (value: string): string[] => value.split(/[\s,]+/).filter((s) => s !== '');

async function main(argv: string[]): Promise<number> {
  let options: MintOptions | 'help';
  try {
    options = parse(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`token: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const issuer = await loadOrCreateDevIssuer('.local');
  process.stdout.write(`${await issuer.mint(options)}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
