/**
 * RemoteAgentClient: an A2A agent that runs elsewhere, as the forwarding worker calls it. Every
 * object it returns has been validated against the core schemas (never pass on what was not);
 * every failure is one of three kinds:
 * - RemoteAgentUnavailableError: down, timing out, 5xx/429, DNS; worth a retry with backoff;
 * - RemoteAgentRefusedError: it answered, and said no (a JSON-RPC error, 401/403, a refused URL);
 * - InvalidAgentResponseError (core/errors): what it answered is not valid A2A;
 * and one that is the gateway's own fault: RemoteAgentMisconfiguredError.
 * Implementation: adapters/a2a-remote (the @a2a-js/sdk client over the SSRF-guarded fetch).
 */
import type { Message, StreamResponse, Task } from '../a2a/types';

export type RemoteSendResult = { task: Task } | { message: Message };

export interface RemoteAgentClient {
  /** the remote card says it streams (and the config allows it) */
  readonly streaming: boolean;
  /** SendMessage, returning at once (the caller polls GetTask) */
  send(message: Message, signal: AbortSignal): Promise<RemoteSendResult>;
  /** SendStreamingMessage */
  stream(message: Message, signal: AbortSignal): AsyncIterable<StreamResponse>;
  getTask(taskId: string, signal: AbortSignal): Promise<Task>;
  cancel(taskId: string, signal: AbortSignal): Promise<Task>;
}

/** The remote agents this worker can reach, by agent id. */
export interface RemoteAgentDirectory {
  has(agentId: string): boolean;
  /** Resolves (and caches) the agent's card; throws the errors above. */
  client(agentId: string, signal: AbortSignal): Promise<RemoteAgentClient>;
}

/** The remote agent could not be reached or did not answer in time. Retryable. */
export class RemoteAgentUnavailableError extends Error {
  override readonly name = 'RemoteAgentUnavailableError';
  static readonly code = 'ERR_REMOTE_AGENT_UNAVAILABLE';
  readonly code = RemoteAgentUnavailableError.code;
}

/** The remote agent (or its URL, or its token endpoint) refused. Permanent; `message` is safe to show. */
export class RemoteAgentRefusedError extends Error {
  override readonly name = 'RemoteAgentRefusedError';
  static readonly code = 'ERR_REMOTE_AGENT_REFUSED';
  readonly code = RemoteAgentRefusedError.code;
}

/**
 * The gateway's own config for the agent cannot be used: its credentials cannot be read, or its
 * card sends the calls outside the origins its credentials may go to. Permanent, and not the
 * remote's doing. `message` is for the operator's log (it may name a secret id); the task gets
 * its own words (workers/agents/remote/remote-calls.ts).
 */
export class RemoteAgentMisconfiguredError extends Error {
  override readonly name = 'RemoteAgentMisconfiguredError';
  static readonly code: string = 'ERR_REMOTE_AGENT_MISCONFIGURED';
  readonly code: string = 'ERR_REMOTE_AGENT_MISCONFIGURED';
  constructor(
    readonly problem: 'credentials' | 'origin',
    message: string,
  ) {
    super(message);
  }
}
