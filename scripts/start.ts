/**
 * `npm start`: the whole gateway on http://127.0.0.1:8080 (PORT overrides) in one process.
 *   npm start                      DynamoDB Local, data under .local/dynamodb
 *   npm start -- --store memory    keeps nothing
 *   npm start -- --default-agent conformance   the agent behind / (DEFAULT_AGENT_ID; default echo)
 * Remote A2A agents: REMOTE_AGENTS (a JSON array) or, without it, .local/remote-agents.json;
 * their secrets are files under .local/secrets/. REMOTE_AGENTS_ALLOW_HTTP_HOSTS lists more hosts
 * (besides loopback) that may be reached over plain http. PUSH_CONFIGS_PER_TASK_MAX caps the push
 * configs of one task (default 10). MEMORY_MAX_FINISHED_TASKS (or --max-finished-tasks) caps the
 * finished tasks the memory store keeps (default 10,000; the oldest finished are evicted).
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, EnvReader } from '../adapters/config/env-config';
import { DynamoLocalInUseError } from '../adapters/dynamo/dynamo-local-lock';
import { createLogger } from '../adapters/logging/logger';
import { ALL_SCOPES } from '../authorizer/dev-issuer';
import { DEFAULT_MAX_PUSH_CONFIGS_PER_TASK } from '../core/ports/task-store';
import {
  parseRemoteAgentsConfig,
  type RemoteAgentConfig,
  RemoteAgentsConfigError,
} from '../core/remote-agents';
import { DEFAULT_MAX_FINISHED_TASKS, startLocalStack } from '../local/local-stack';
import { busyPortMessage, isAddressInUse, portIsBusy } from './busy-port';
import { parseCli, usageFail } from './cli-args';

const REMOTE_AGENTS_FILE = '.local/remote-agents.json';

const CLI = {
  command: 'npm start',
  usage: `Usage: npm start -- [options]   the whole gateway in one process (Ctrl-C stops it)
  --store <dynamodb|memory>   DynamoDB Local under .local/dynamodb (default) or memory (keeps nothing)
  --port <n>                  port to listen on (default: PORT, else 8080; 0 picks a free one)
  --host <address>            address to listen on (default: 127.0.0.1)
  --default-agent <id>        the agent behind / (default: DEFAULT_AGENT_ID, else echo)
  --max-finished-tasks <n>    memory store: finished tasks kept, oldest evicted first
                              (default: MEMORY_MAX_FINISHED_TASKS, else 10000)
  -h, --help                  show this help
Environment: PORT, LOG_LEVEL, DEFAULT_AGENT_ID, REMOTE_AGENTS, REMOTE_AGENTS_ALLOW_HTTP_HOSTS,
  PUSH_CONFIGS_PER_TASK_MAX, MEMORY_MAX_FINISHED_TASKS`,
  options: {
    store: { type: 'string', default: 'dynamodb' },
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'default-agent': { type: 'string' },
    'max-finished-tasks': { type: 'string' },
  },
} as const;
const values = parseCli(CLI);
if (values.store !== 'dynamodb' && values.store !== 'memory') {
  usageFail(CLI, `--store must be dynamodb or memory (got ${values.store})`);
}
const portText = values.port ?? (process.env.PORT || '8080');
const port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  usageFail(CLI, `${values.port === undefined ? 'PORT' : '--port'} must be a port number (got ${portText})`);
}
// Checked before DynamoDB Local starts, so a busy port fails fast (EADDRINUSE is still caught below).
if (await portIsBusy(values.host, port)) await exitPortBusy();

const remoteAgents = await readRemoteAgents();
const allowHttpHosts = (process.env.REMOTE_AGENTS_ALLOW_HTTP_HOSTS ?? '')
  .split(',')
  .map((h) => h.trim())
  .filter(Boolean);
const env = new EnvReader(process.env, 'npm start');
const pushConfigsPerTaskMax = env.int('PUSH_CONFIGS_PER_TASK_MAX', DEFAULT_MAX_PUSH_CONFIGS_PER_TASK, 1, 100);
const maxFinishedTasks = maxFinishedTasksOption(
  env.int('MEMORY_MAX_FINISHED_TASKS', DEFAULT_MAX_FINISHED_TASKS, 1, 10_000_000),
);
try {
  env.done({});
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : String(err));
  process.exit(2);
}
// Node 20.19+ is supported here (package.json engines; scripts/ensure-prereqs.sh prints the one-line
// note that AWS SDK releases after January 2027 need Node 22), so the SDK's own eight-line warning
// saying the same is switched off with its documented switch (aws/aws-sdk-js-v3#7983).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'info', pretty: process.stdout.isTTY });
const stack = await startLocalStack({
  port,
  host: values.host,
  store: values.store,
  dataDir: '.local',
  logger,
  remoteAgents,
  remote: { allowHttpHosts },
  pushConfigsPerTaskMax,
  maxFinishedTasks,
  ...defaultAgent(),
}).catch((err: unknown) => {
  // e.g. "Another stack (pid 4242) uses .local/dynamodb (DynamoDB Local pid 4250, port 41234). …"
  if (err instanceof DynamoLocalInUseError) {
    console.error(err.message);
    process.exit(1);
  }
  if (isAddressInUse(err)) return exitPortBusy();
  if (!(err instanceof Error && err.message.startsWith('default agent '))) throw err;
  console.error(`${err.message}: --default-agent / DEFAULT_AGENT_ID must name a served agent`);
  process.exit(2);
});
const token = await stack.issuer.mint({ tenant: 'local', scopes: ALL_SCOPES, ttlSeconds: 12 * 3600 });

const curl = `curl -s ${stack.url}/agents/echo \\
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -H 'A2A-Version: 1.0' \\
  -d '{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":{"messageId":"m1","role":"ROLE_USER","parts":[{"text":"hello"}]}}}'`;
process.stdout.write(`
  A2A gateway (local) on ${stack.url}   store: ${values.store === 'memory' ? 'memory (keeps nothing)' : 'DynamoDB Local (.local/dynamodb)'}
  agents: ${stack.agents
    .all()
    .map((a) => a.id)
    .join(', ')}   cards: ${stack.url}/.well-known/agent-card.json

  export TOKEN=${token}

${curl}

  More tokens (same tenant, so ListTasks shows these tasks): npm run -s token -- --tenant local --scopes "tasks:submit tasks:read"
  Stop with Ctrl-C.

`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({}, 'stopping');
    void stack.stop().then(() => process.exit(0));
  });
}

async function exitPortBusy(): Promise<never> {
  const another = `PORT=${port === 65_535 ? 8081 : port + 1} npm start`;
  console.error(`npm start: ${await busyPortMessage(values.host, port, another)}`);
  process.exit(1);
}

/** --max-finished-tasks, else the env value (MEMORY_MAX_FINISHED_TASKS or the default). */
function maxFinishedTasksOption(fromEnv: number): number {
  const text = values['max-finished-tasks'];
  if (text === undefined) return fromEnv;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    usageFail(CLI, `--max-finished-tasks must be a whole number of at least 1 (got ${text})`);
  }
  return n;
}

/** --default-agent, else DEFAULT_AGENT_ID, else the catalog's first agent (echo). */
function defaultAgent(): { defaultAgentId?: string } {
  const id = values['default-agent'] ?? process.env.DEFAULT_AGENT_ID?.trim();
  return id ? { defaultAgentId: id } : {};
}

async function readRemoteAgents(): Promise<RemoteAgentConfig[]> {
  const fromEnv = process.env.REMOTE_AGENTS?.trim();
  let text = fromEnv;
  let source = 'REMOTE_AGENTS';
  if (!text) {
    source = REMOTE_AGENTS_FILE;
    text = await readFile(REMOTE_AGENTS_FILE, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
  }
  if (!text) return [];
  try {
    return parseRemoteAgentsConfig(JSON.parse(text), source);
  } catch (err) {
    console.error(err instanceof RemoteAgentsConfigError ? err.message : `${source}: not valid JSON`);
    process.exit(2);
  }
}
