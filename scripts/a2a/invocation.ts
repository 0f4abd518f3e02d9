/**
 * The command line of `npm run a2a`: the command, its operand and options, checked in full before
 * any call is made (a usage error is one line and exit 2, like every other script's).
 */
import { TaskState, taskStateFromJSON } from '@a2a-js/sdk';
import { parseCommandLine, usageFail } from '../cli-args';

export const DEFAULT_URL = 'http://127.0.0.1:8080';
export const DEFAULT_AGENT = 'echo';

export const CLI = {
  command: 'npm run a2a',
  usage: `Usage: npm run a2a -- <command> [options]   an A2A client for the gateway (the official @a2a-js/sdk)
Commands:
  send "<text>"       send a message and wait for the task to settle, printing its progress
    --stream            stream the task's events as they come (as the stream command)
    --no-wait           return at once with the task id (then: get, watch or cancel it)
    --task <id>         continue a task (one that asks for input)
    --context <id>      send within a conversation (context id)
    --message-id <id>   the message id (default: random; the same message again is a retry)
  stream "<text>"     send --stream
  get <taskId>        the task as it is now    --history <n>  with its last n messages
  list                your tasks, newest first
    --context <id>      only this context's     --status <state>  e.g. completed, working
    --page-size <n>     1-100 (default 50)      --page-token <t>  the next page
  cancel <taskId>     cancel a task that is still running or waiting for input
  watch <taskId>      follow a task's events live (SubscribeToTask; resumes a dropped stream)
Options of every command:
  --agent <id>        the agent (default: A2A_AGENT, else ${DEFAULT_AGENT}); a task belongs to the agent it was sent to
  --url <url>         the gateway (default: A2A_URL, else ${DEFAULT_URL})
  --token <jwt>       bearer token (default: A2A_TOKEN, which ps does not show; else a dev token minted
                      from .local/ as npm run token does)
  --tenant <id>       the minted token's tenant (default: local, as npm start's token)
  --json              raw JSON: one object per line (one per event while streaming)
  -h, --help          show this help
Exit status: 0 done, 1 A2A or network error, 2 usage error.`,
  options: {
    agent: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    tenant: { type: 'string' },
    json: { type: 'boolean' },
    stream: { type: 'boolean' },
    'no-wait': { type: 'boolean' },
    task: { type: 'string' },
    context: { type: 'string' },
    'message-id': { type: 'string' },
    history: { type: 'string' },
    status: { type: 'string' },
    'page-size': { type: 'string' },
    'page-token': { type: 'string' },
  },
} as const;

type OptionName = keyof typeof CLI.options;
const COMMON: OptionName[] = ['agent', 'url', 'token', 'tenant', 'json'];

export type Command =
  | {
      name: 'send';
      text: string;
      stream: boolean;
      wait: boolean;
      taskId?: string;
      contextId?: string;
      messageId?: string;
    }
  | { name: 'get'; taskId: string; historyLength?: number }
  | { name: 'list'; contextId?: string; status?: TaskState; pageSize?: number; pageToken?: string }
  | { name: 'cancel'; taskId: string }
  | { name: 'watch'; taskId: string };

export interface Invocation {
  command: Command;
  url: string;
  agentId: string;
  token?: string;
  tenant: string;
  json: boolean;
}

/** What each command takes besides the common options: its operand and its own options. */
const COMMANDS: Record<string, { operand?: string; options: OptionName[] }> = {
  send: { operand: '"<text>"', options: ['stream', 'no-wait', 'task', 'context', 'message-id'] },
  stream: { operand: '"<text>"', options: ['task', 'context', 'message-id'] },
  get: { operand: '<taskId>', options: ['history'] },
  list: { options: ['context', 'status', 'page-size', 'page-token'] },
  cancel: { operand: '<taskId>', options: [] },
  watch: { operand: '<taskId>', options: [] },
};

export function parseInvocation(argv: string[], env: NodeJS.ProcessEnv = process.env): Invocation {
  const { values, positionals } = parseCommandLine(CLI, argv);
  const [name, operand, ...extra] = positionals;
  if (name === undefined) return usageFail(CLI, `which command? (${Object.keys(COMMANDS).join(', ')})`);
  const spec = COMMANDS[name];
  if (!spec)
    return usageFail(CLI, `unknown command ${JSON.stringify(name)} (${Object.keys(COMMANDS).join(', ')})`);
  if (spec.operand && operand === undefined) return usageFail(CLI, `${name} needs ${spec.operand}`);
  if (!spec.operand && operand !== undefined)
    return usageFail(CLI, `${name} takes no argument (got ${JSON.stringify(operand)})`);
  if (extra.length > 0) {
    return usageFail(CLI, `unexpected argument ${JSON.stringify(extra[0])} (quote text with spaces)`);
  }
  const given = Object.keys(values).filter((k) => k !== 'help') as OptionName[];
  const foreign = given.find((k) => !COMMON.includes(k) && !spec.options.includes(k));
  if (foreign) return usageFail(CLI, `--${foreign} is not an option of ${name}`);

  const url = (values.url ?? (env.A2A_URL?.trim() || DEFAULT_URL)).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(url))
    return usageFail(CLI, `--url / A2A_URL must be an http(s) URL (got ${url})`);
  const agentId = values.agent ?? (env.A2A_AGENT?.trim() || DEFAULT_AGENT);
  if (!/^[A-Za-z0-9._-]+$/.test(agentId))
    return usageFail(CLI, `invalid agent id ${JSON.stringify(agentId)}`);
  const token = values.token ?? (env.A2A_TOKEN?.trim() || undefined);
  const tenant = values.tenant ?? 'local';
  if (tenant.trim() === '') return usageFail(CLI, '--tenant must not be empty');
  const common = { url, agentId, tenant, json: values.json === true, ...(token ? { token } : {}) };
  return { ...common, command: command(name, operand ?? '', values) };
}

type Values = ReturnType<typeof parseCommandLine<typeof CLI.options>>['values'];

function command(name: string, operand: string, v: Values): Command {
  const opt = <K extends 'task' | 'context' | 'message-id' | 'page-token'>(k: K, as: string) =>
    v[k] === undefined ? {} : { [as]: nonEmpty(v[k], k) };
  switch (name) {
    case 'send':
    case 'stream':
      if (operand.trim() === '') return usageFail(CLI, `${name} needs some text`);
      if (v.stream && v['no-wait']) return usageFail(CLI, '--stream and --no-wait do not go together');
      return {
        name: 'send',
        text: operand,
        stream: name === 'stream' || v.stream === true,
        wait: v['no-wait'] !== true,
        ...opt('task', 'taskId'),
        ...opt('context', 'contextId'),
        ...opt('message-id', 'messageId'),
      };
    case 'get':
      return {
        name: 'get',
        taskId: nonEmpty(operand, 'taskId'),
        ...(v.history === undefined ? {} : { historyLength: whole(v.history, '--history', 0, 1000) }),
      };
    case 'list':
      return {
        name: 'list',
        ...opt('context', 'contextId'),
        ...(v.status === undefined ? {} : { status: taskState(v.status) }),
        ...(v['page-size'] === undefined ? {} : { pageSize: whole(v['page-size'], '--page-size', 1, 100) }),
        ...opt('page-token', 'pageToken'),
      };
    default:
      return { name: name as 'cancel' | 'watch', taskId: nonEmpty(operand, 'taskId') };
  }
}

function nonEmpty(value: string, what: string): string {
  if (value.trim() === '') usageFail(CLI, `${what} must not be empty`);
  return value;
}

function whole(text: string, what: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max))
    usageFail(CLI, `${what} must be a whole number from ${min} to ${max} (got ${text})`);
  return n;
}

/** `completed`, `input-required`, `TASK_STATE_COMPLETED`: any spelling of a task state. */
function taskState(text: string): TaskState {
  const name = text.trim().toUpperCase().replace(/-/g, '_');
  const state = taskStateFromJSON(name.startsWith('TASK_STATE_') ? name : `TASK_STATE_${name}`);
  if (state === TaskState.UNRECOGNIZED || state === TaskState.TASK_STATE_UNSPECIFIED) {
    const known = 'submitted, working, completed, failed, canceled, input-required, rejected, auth-required';
    return usageFail(CLI, `unknown --status ${JSON.stringify(text)} (${known})`);
  }
  return state;
}
