/**
 * Mints a dev token with the local dev issuer (key in .local/) and prints only the token, so
 * `TOKEN=$(npm run -s token -- --tenant acme --agent echo)` works.
 */
import { ALL_SCOPES, loadOrCreateDevIssuer, type MintOptions } from '../authorizer/dev-issuer';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from '../authorizer/token-lifetime';
import { parseCli, usageFail } from './cli-args';

/** The gateway and the authorizer refuse longer-lived tokens by default. */
const MAX_TTL_SECONDS = DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;

const CLI = {
  command: 'npm run -s token',
  usage: `Usage: npm run -s token -- [options]
  --tenant <id>        tenant claim (default: local)
  --sub <subject>      subject (default: dev-user)
  --scopes "<s> <s>"   space- or comma-separated scopes (default: ${ALL_SCOPES.join(' ')})
  --ttl <seconds>      lifetime in seconds (default: 3600, at most ${MAX_TTL_SECONDS})
  --agent <id>         adds scope agent:<id>; repeatable
  -h, --help           show this help`,
  options: {
    tenant: { type: 'string' },
    sub: { type: 'string' },
    scopes: { type: 'string' },
    ttl: { type: 'string' },
    agent: { type: 'string', multiple: true },
  },
} as const;

/** The mint options, or exits 2 naming every problem (exits 0 after printing --help). */
function parse(argv: string[]): MintOptions {
  const values = parseCli(CLI, argv);
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
  if (problems.length > 0) usageFail(CLI, problems.join('\n'));
  return { tenant, subject, scopes, ttlSeconds, agents };
}

const splitList = (value: string): string[] => value.split(/[\s,]+/).filter((s) => s !== '');

const options = parse(process.argv.slice(2));
const issuer = await loadOrCreateDevIssuer('.local');
process.stdout.write(`${await issuer.mint(options)}\n`);
