/**
 * Remote A2A agents behind the gateway: the config shape (one entry per agent, declared by its
 * card URL, with how to authenticate toward it) and the binding that ties a local task to the
 * remote task that runs it. Secrets are never inline: `secretId` names a Secrets Manager secret
 * (AWS) or a file under `.local/secrets/` (local mode).
 *
 *   [{ "id": "weather", "cardUrl": "https://weather.example.com/.well-known/agent-card.json",
 *      "auth": { "type": "bearer", "secretId": "weather-token" } }]
 *
 * The credentials go only to the card URL's origin and the origins listed in `allowedOrigins`
 * (e.g. a card on www.example.com whose interface is api.example.com): the card is untrusted, so
 * its interface URLs never decide where a secret goes (credentialOrigins below).
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { RESERVED_METADATA_PREFIX, type TaskRecord, withoutReservedMetadata } from './task-record';

/** Secrets Manager names allow `/_+=.@-`; `..` is refused so a name never walks a directory. */
const SecretId = Type.String({ minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9][A-Za-z0-9/_+=.@-]*$' });
const HttpUrl = Type.String({ minLength: 1, maxLength: 2048 });
const Scope = Type.String({ minLength: 1, maxLength: 256, pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' });

const AUTH_SCHEMAS = {
  none: Type.Object({ type: Type.Literal('none') }, { additionalProperties: false }),
  bearer: Type.Object({ type: Type.Literal('bearer'), secretId: SecretId }, { additionalProperties: false }),
  oauth2: Type.Object(
    {
      type: Type.Literal('oauth2'),
      tokenUrl: HttpUrl,
      clientId: Type.String({ minLength: 1, maxLength: 256 }),
      /** the client secret */
      secretId: SecretId,
      scopes: Type.Optional(Type.Array(Scope, { maxItems: 32 })),
    },
    { additionalProperties: false },
  ),
} as const;

export type RemoteAuthConfig =
  | Static<(typeof AUTH_SCHEMAS)['none']>
  | Static<(typeof AUTH_SCHEMAS)['bearer']>
  | Static<(typeof AUTH_SCHEMAS)['oauth2']>;

export const REMOTE_AGENT_ID_PATTERN = '^[a-z][a-z0-9-]{0,62}$';

const AgentEntry = Type.Object(
  {
    /** the agent's id behind the gateway: `/agents/{id}`, `agent:{id}` scopes */
    id: Type.String({ pattern: REMOTE_AGENT_ID_PATTERN }),
    /** the remote agent card, e.g. https://host/.well-known/agent-card.json */
    cardUrl: HttpUrl,
    /** served (and used when the card cannot be fetched at startup) instead of the card's */
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    auth: Type.Optional(Type.Unknown()),
    /** false: never stream from this agent, even if its card says it can (send, then poll) */
    streaming: Type.Optional(Type.Boolean()),
    /** origins besides the card URL's that the credentials may be sent to, e.g. https://api.example.com */
    allowedOrigins: Type.Optional(Type.Array(HttpUrl, { maxItems: 8 })),
  },
  { additionalProperties: false },
);

export type RemoteAgentConfig = Omit<Static<typeof AgentEntry>, 'auth'> & { auth?: RemoteAuthConfig };

export class RemoteAgentsConfigError extends Error {
  override readonly name = 'RemoteAgentsConfigError';
  static readonly code = 'ERR_REMOTE_AGENTS_CONFIG';
  readonly code = RemoteAgentsConfigError.code;
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid remote agents config (${source}):\n  - ${problems.join('\n  - ')}`);
  }
}

const checkEntry = TypeCompiler.Compile(AgentEntry);
const checkAuth = Object.fromEntries(
  Object.entries(AUTH_SCHEMAS).map(([type, schema]) => [type, TypeCompiler.Compile(schema as TSchema)]),
);
const INLINE_SECRET_KEYS = ['token', 'secret', 'clientSecret', 'client_secret', 'password', 'credentials'];
const MAX_AGENTS = 32;

/** Validates the remote agents config (a JSON array), reporting every problem together. */
export function parseRemoteAgentsConfig(value: unknown, source = 'config'): RemoteAgentConfig[] {
  const problems: string[] = [];
  if (!Array.isArray(value)) throw new RemoteAgentsConfigError(source, ['must be a JSON array of agents']);
  if (value.length > MAX_AGENTS) problems.push(`at most ${MAX_AGENTS} remote agents`);
  const seen = new Set<string>();
  value.forEach((entry: unknown, i) => {
    const at = `[${i}]`;
    for (const e of checkEntry.Errors(entry))
      problems.push(`${at}${e.path.replaceAll('/', '.')}: ${e.message}`);
    if (!isRecord(entry)) return;
    if (typeof entry.id === 'string') {
      if (seen.has(entry.id)) problems.push(`${at}.id: ${entry.id} is declared twice`);
      seen.add(entry.id);
    }
    if (typeof entry.cardUrl === 'string') problems.push(...urlProblems(entry.cardUrl, `${at}.cardUrl`));
    if (Array.isArray(entry.allowedOrigins))
      entry.allowedOrigins.forEach((o, j) => {
        if (typeof o === 'string') problems.push(...originProblems(o, `${at}.allowedOrigins[${j}]`));
      });
    if (entry.auth !== undefined) problems.push(...authProblems(entry.auth, `${at}.auth`));
  });
  if (problems.length > 0) throw new RemoteAgentsConfigError(source, problems);
  return value as RemoteAgentConfig[];
}

function authProblems(auth: unknown, at: string): string[] {
  if (!isRecord(auth)) return [`${at}: must be an object`];
  const inline = INLINE_SECRET_KEYS.filter((k) => k in auth);
  if (inline.length > 0) {
    return [
      `${at}: ${inline.join(', ')} must not be inline; put the secret in Secrets Manager (or .local/secrets/) and name it with secretId`,
    ];
  }
  const type = typeof auth.type === 'string' ? auth.type : '';
  const check = checkAuth[type];
  if (!check) return [`${at}.type: must be one of ${Object.keys(AUTH_SCHEMAS).join(', ')}`];
  const problems = [...check.Errors(auth)].map((e) => `${at}${e.path.replaceAll('/', '.')}: ${e.message}`);
  if (typeof auth.secretId === 'string' && auth.secretId.split('/').includes('..')) {
    problems.push(`${at}.secretId: must not contain ..`);
  }
  if (typeof auth.tokenUrl === 'string') problems.push(...urlProblems(auth.tokenUrl, `${at}.tokenUrl`));
  return problems;
}

/** An origin: scheme, host and port only (no path, query or fragment). */
function originProblems(raw: string, at: string): string[] {
  const problems = urlProblems(raw, at);
  if (problems.length > 0) return problems;
  const url = new URL(raw);
  if (`${url.origin}/` !== url.href) {
    return [`${at}: must be an origin (scheme://host[:port]), without a path`];
  }
  return [];
}

/**
 * Where the agent's credentials may be sent: the card URL's origin and the configured
 * `allowedOrigins` (both operator-set), as `URL.origin` strings.
 */
export function credentialOrigins(config: Pick<RemoteAgentConfig, 'cardUrl' | 'allowedOrigins'>): string[] {
  return [config.cardUrl, ...(config.allowedOrigins ?? [])].map((u) => new URL(u).origin);
}

function urlProblems(raw: string, at: string): string[] {
  if (!URL.canParse(raw)) return [`${at}: not an absolute URL`];
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return [`${at}: must be https (or http)`];
  if (url.username !== '' || url.password !== '') return [`${at}: must not carry credentials`];
  return [];
}

/**
 * Where a local task's remote counterpart is recorded: the task's metadata, under this key, so a
 * redelivered run, a follow-up (INPUT_REQUIRED) and a cancel all find it. It is a reserved key
 * (core/task-record.ts): clients never see it.
 */
export const REMOTE_TASK_METADATA_KEY = `${RESERVED_METADATA_PREFIX}remote`;

/**
 * A client's metadata for a task, without the gateway's reserved keys: a client must never be
 * able to plant a remote binding (the worker would act on that remote task with the gateway's
 * credentials).
 */
export const clientTaskMetadata = withoutReservedMetadata;

export interface RemoteBinding {
  /** the local task this binding was written for (a client cannot know it when creating a task) */
  localTaskId: string;
  agentId: string;
  /** the remote task, once the remote agent created one */
  taskId?: string;
  contextId?: string;
  /** messageId of the last local user message forwarded */
  turn: string;
  /** epoch ms when this turn was first forwarded (a run that continues later keeps counting) */
  turnStartedAt?: number;
  /**
   * the remote status timestamp of the last question forwarded (INPUT_REQUIRED): a snapshot that
   * still shows it after the answer went out is stale, not a new question
   */
  askedAt?: string;
}

/** The task's binding, if the worker wrote one for this very task (anything else is ignored). */
export function readRemoteBinding(
  task: Pick<TaskRecord, 'id' | 'agentId' | 'metadata'>,
): RemoteBinding | undefined {
  const raw = task.metadata?.[REMOTE_TASK_METADATA_KEY];
  if (!isRecord(raw) || raw.localTaskId !== task.id || raw.agentId !== task.agentId) return undefined;
  if (typeof raw.turn !== 'string') return undefined;
  const binding: RemoteBinding = { localTaskId: task.id, agentId: task.agentId, turn: raw.turn };
  if (typeof raw.taskId === 'string' && raw.taskId !== '') binding.taskId = raw.taskId;
  if (typeof raw.contextId === 'string' && raw.contextId !== '') binding.contextId = raw.contextId;
  if (typeof raw.askedAt === 'string') binding.askedAt = raw.askedAt;
  if (typeof raw.turnStartedAt === 'number' && Number.isFinite(raw.turnStartedAt))
    binding.turnStartedAt = raw.turnStartedAt;
  return binding;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
