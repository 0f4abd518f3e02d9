/**
 * The local stack (memory store) with remote agents behind it, short remote timeouts and backoff,
 * the logs kept for assertions, and @a2a-js/sdk clients on the gateway.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Task, TaskState } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import pino from 'pino';
import { systemContext } from '../../core/context';
import { type RemoteAgentConfig, type RemoteBinding, readRemoteBinding } from '../../core/remote-agents';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/local-stack';
import { sdkClient } from './a2a-sdk-client';

export interface RemoteStack {
  stack: LocalStack;
  token: string;
  logs: Record<string, unknown>[];
  client(agentId: string): Promise<Client>;
  /** GetTask until `done` holds (or 200 tries), through the SDK client */
  until(client: Client, taskId: string, done: (t: Task) => boolean): Promise<Task>;
  /** the remote binding as stored (clients never see it) */
  binding(taskId: string): Promise<RemoteBinding | undefined>;
  stop(): Promise<void>;
}

export async function startRemoteStack(
  remoteAgents: readonly RemoteAgentConfig[],
  o: { secrets?: Record<string, string> } & Partial<LocalStackOptions> = {},
): Promise<RemoteStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'remote-agents-'));
  await mkdir(join(dataDir, 'secrets'));
  for (const [id, value] of Object.entries(o.secrets ?? {}))
    await writeFile(join(dataDir, 'secrets', id), `${value}\n`);
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const stack = await startLocalStack({
    port: 0,
    host: '127.0.0.1',
    store: 'memory',
    dataDir,
    logger,
    pollWaitSeconds: 1,
    remoteAgents,
    remote: {
      calls: { requestTimeoutMs: 1_500, streamIdleMs: 5_000, cardTimeoutMs: 1_500 },
      runs: {
        retry: { attempts: 3, baseMs: 20, maxMs: 50 },
        poll: { initialMs: 20, maxMs: 100 },
        cancelTimeoutMs: 1_000,
      },
    },
    ...o,
  });
  const token = await stack.issuer.mint({
    tenant: 'remote',
    scopes: ['tasks:submit', 'tasks:read', 'tasks:cancel', 'webhooks:manage'],
  });
  return {
    stack,
    token,
    logs,
    client: (agentId) => sdkClient(stack.url, agentId, token),
    async until(client, taskId, done) {
      let task = await client.getTask({ tenant: '', id: taskId, historyLength: undefined });
      for (let i = 0; i < 200 && !done(task); i++) {
        await new Promise((r) => setTimeout(r, 25));
        task = await client.getTask({ tenant: '', id: taskId, historyLength: undefined });
      }
      return task;
    },
    async binding(taskId) {
      const record = await stack.store.get(systemContext('remote', 'test'), taskId);
      return record ? readRemoteBinding(record) : undefined;
    },
    stop: () => stack.stop(),
  };
}

export const isFinal = (t: Task): boolean =>
  [
    TaskState.TASK_STATE_COMPLETED,
    TaskState.TASK_STATE_FAILED,
    TaskState.TASK_STATE_CANCELED,
    TaskState.TASK_STATE_REJECTED,
  ].includes(t.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED);

/** The text of SDK parts, joined. */
export const textOf = (
  parts: readonly { content?: { $case: string; value?: unknown } | undefined }[] | undefined,
): string => (parts ?? []).map((p) => (p.content?.$case === 'text' ? String(p.content.value) : '')).join('');
