/**
 * The authorizer's config: env read once per cold start (handler.ts calls this at module scope),
 * every key validated, all problems reported together, the result frozen.
 */
import { type Static, Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, maxTokenLifetimeProblem } from './token-lifetime';
import {
  ASYMMETRIC_ALGORITHMS,
  DEFAULT_ALGORITHMS,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_JWKS_TIMEOUT_MS,
  DEFAULT_TENANT_CLAIM,
  MAX_CLOCK_TOLERANCE_SECONDS,
} from './token-verifier';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const MIN_JWKS_TIMEOUT_MS = 50;
const MAX_JWKS_TIMEOUT_MS = 10_000;

const NonEmpty = (maxLength: number) => Type.String({ minLength: 1, maxLength });

export const AuthorizerEnvSchema = Type.Object({
  AUTH_ISSUER: NonEmpty(2048),
  AUTH_AUDIENCE: NonEmpty(2048),
  AUTH_JWKS_URL: NonEmpty(2048),
  AUTH_TENANT_CLAIM: Type.Optional(NonEmpty(256)),
  AUTH_ALGORITHMS: Type.Optional(NonEmpty(256)),
  AUTH_CLOCK_TOLERANCE_SECONDS: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  AUTH_JWKS_TIMEOUT_MS: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: Type.Optional(Type.String({ pattern: '^[0-9]{1,8}$' })),
  LOG_LEVEL: Type.Optional(Type.Union(LOG_LEVELS.map((level) => Type.Literal(level)))),
});
export type AuthorizerEnv = Static<typeof AuthorizerEnvSchema>;

const checkEnv = TypeCompiler.Compile(AuthorizerEnvSchema);

export interface AuthorizerConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
  readonly tenantClaim: string;
  readonly algorithms: readonly string[];
  readonly clockToleranceSeconds: number;
  /** Bound on one JWKS fetch; keep it well inside the authorizer Lambda's timeout. */
  readonly jwksTimeoutMs: number;
  /** Longest accepted `exp - iat` (token-lifetime.ts). */
  readonly maxTokenLifetimeSeconds: number;
  readonly logLevel: LogLevel;
}

export class AuthorizerConfigError extends Error {
  static readonly code = 'ERR_AUTHORIZER_CONFIG';
  readonly code = AuthorizerConfigError.code;
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid authorizer config:\n  - ${problems.join('\n  - ')}`);
    this.name = 'AuthorizerConfigError';
    this.problems = Object.freeze([...problems]);
  }
}

/** Reads and validates the authorizer's env; throws AuthorizerConfigError listing every problem. */
export function loadAuthorizerConfig(env: Readonly<Record<string, string | undefined>>): AuthorizerConfig {
  // An empty optional variable (as Terraform may render it) means "use the default".
  const raw: Record<string, string | undefined> = Object.fromEntries(
    Object.keys(AuthorizerEnvSchema.properties)
      .map((key) => [key, env[key]] as const)
      .filter(([key, value]) => value !== undefined && (value !== '' || !isOptional(key))),
  );
  const problems = [
    ...new Set([...checkEnv.Errors(raw)].map((e) => `${e.path.slice(1) || 'env'}: ${e.message}`)),
  ];

  const jwksUrl = raw.AUTH_JWKS_URL ? jwksUrlProblem(raw.AUTH_JWKS_URL) : undefined;
  if (jwksUrl) problems.push(`AUTH_JWKS_URL: ${jwksUrl}`);
  const algorithms = (raw.AUTH_ALGORITHMS ?? DEFAULT_ALGORITHMS.join(','))
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const unknown = algorithms.filter((a) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(a));
  if (unknown.length > 0 || algorithms.length === 0) {
    problems.push(
      `AUTH_ALGORITHMS: ${unknown.join(', ') || '(empty)'} not allowed; use ${ASYMMETRIC_ALGORITHMS.join(', ')}`,
    );
  }
  const clockToleranceSeconds = Number(raw.AUTH_CLOCK_TOLERANCE_SECONDS ?? DEFAULT_CLOCK_TOLERANCE_SECONDS);
  if (clockToleranceSeconds > MAX_CLOCK_TOLERANCE_SECONDS) {
    problems.push(`AUTH_CLOCK_TOLERANCE_SECONDS: must be at most ${MAX_CLOCK_TOLERANCE_SECONDS}`);
  }
  const jwksTimeoutMs = Number(raw.AUTH_JWKS_TIMEOUT_MS ?? DEFAULT_JWKS_TIMEOUT_MS);
  if (jwksTimeoutMs < MIN_JWKS_TIMEOUT_MS || jwksTimeoutMs > MAX_JWKS_TIMEOUT_MS) {
    problems.push(`AUTH_JWKS_TIMEOUT_MS: must be between ${MIN_JWKS_TIMEOUT_MS} and ${MAX_JWKS_TIMEOUT_MS}`);
  }
  const maxTokenLifetimeSeconds = Number(
    raw.AUTH_MAX_TOKEN_LIFETIME_SECONDS ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  );
  const lifetime = maxTokenLifetimeProblem(maxTokenLifetimeSeconds);
  if (lifetime) problems.push(`AUTH_MAX_TOKEN_LIFETIME_SECONDS: ${lifetime}`);
  if (problems.length > 0 || !checkEnv.Check(raw)) throw new AuthorizerConfigError(problems);

  return Object.freeze({
    issuer: raw.AUTH_ISSUER,
    audience: raw.AUTH_AUDIENCE,
    jwksUrl: raw.AUTH_JWKS_URL,
    tenantClaim: raw.AUTH_TENANT_CLAIM ?? DEFAULT_TENANT_CLAIM,
    algorithms: Object.freeze([...new Set(algorithms)]),
    clockToleranceSeconds,
    jwksTimeoutMs,
    maxTokenLifetimeSeconds,
    logLevel: raw.LOG_LEVEL ?? 'info',
  });
}

const REQUIRED_KEYS: readonly string[] = AuthorizerEnvSchema.required ?? [];
const isOptional = (key: string): boolean => !REQUIRED_KEYS.includes(key);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** HTTPS, or plain HTTP to a loopback host (local stack and tests). */
function jwksUrlProblem(value: string): string | undefined {
  if (!URL.canParse(value)) return 'not a URL';
  const url = new URL(value);
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'must be an https URL (http only for localhost)';
}
