/**
 * RemoteAgentClient on the official @a2a-js/sdk client. The SDK gets a card built only from the
 * sanitized endpoint (interfaces, streaming) and a `fetch` that is SSRF-guarded and carries the
 * agent's credentials; v0.3 agents are reached through the SDK's compat transport. Results are
 * validated (remote-response.ts) and failures translated into the port's three kinds, so the SDK's
 * own error texts (which quote remote bodies) never reach a task.
 */
import { AgentCard, CancelTaskRequest, GetTaskRequest, SendMessageRequest } from '@a2a-js/sdk';
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
} from '@a2a-js/sdk/client';
import type { Message, StreamResponse } from '../../core/a2a/types';
import { InvalidAgentResponseError } from '../../core/errors';
import {
  type RemoteAgentClient,
  RemoteAgentMisconfiguredError,
  RemoteAgentRefusedError,
  RemoteAgentUnavailableError,
} from '../../core/ports/remote-agent-client';
import type { RemoteEndpoint } from '../../core/remote-card';
import { remoteSendResult, remoteStreamResponse, remoteTask } from './remote-response';

export async function createA2ARemoteClient(
  endpoint: RemoteEndpoint,
  fetchImpl: typeof fetch,
): Promise<RemoteAgentClient> {
  const legacyCompat = { enabled: true };
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl, legacyCompat }),
      clientConfig: { polling: true },
    }),
  );
  const card = AgentCard.fromJSON({
    name: 'remote',
    description: 'remote',
    version: '1.0.0',
    supportedInterfaces: endpoint.interfaces,
    capabilities: { streaming: endpoint.streaming, pushNotifications: false },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [],
  });
  const client = await translating(() => factory.createFromAgentCard(card));
  return {
    streaming: endpoint.streaming,
    send: (message, signal) =>
      translating(async () => remoteSendResult(await client.sendMessage(sendRequest(message), { signal }))),
    async *stream(message, signal): AsyncIterable<StreamResponse> {
      try {
        for await (const event of client.sendMessageStream(sendRequest(message), { signal })) {
          yield remoteStreamResponse(event);
        }
      } catch (err) {
        throw translate(err);
      }
    },
    getTask: (taskId, signal) =>
      translating(async () =>
        remoteTask(
          await client.getTask(GetTaskRequest.fromJSON({ id: taskId, historyLength: 1 }), { signal }),
        ),
      ),
    cancel: (taskId, signal) =>
      translating(async () =>
        remoteTask(await client.cancelTask(CancelTaskRequest.fromJSON({ id: taskId }), { signal })),
      ),
  };
}

function sendRequest(message: Message): SendMessageRequest {
  return SendMessageRequest.fromJSON({
    message,
    configuration: { returnImmediately: true },
  });
}

async function translating<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw translate(err);
  }
}

/** One of the port's failure kinds, or an abort as it is. */
export function translate(err: unknown): unknown {
  const known = findCause(
    err,
    (e) =>
      e instanceof RemoteAgentUnavailableError ||
      e instanceof RemoteAgentRefusedError ||
      e instanceof RemoteAgentMisconfiguredError ||
      e instanceof InvalidAgentResponseError,
  );
  if (known) return known;
  if (findCause(err, (e) => e instanceof Error && e.name === 'AbortError')) return err;
  if (findCause(err, (e) => e instanceof Error && e.name === 'TimeoutError')) {
    return new RemoteAgentUnavailableError('did not answer in time');
  }
  const rpc = findCause(err, (e) => typeof (e as { envelopeCode?: unknown }).envelopeCode === 'number') as
    | { envelopeCode: number; reason?: unknown }
    | undefined;
  if (rpc) {
    const reason =
      typeof rpc.reason === 'string' && /^[A-Z_]{1,64}$/.test(rpc.reason) ? `${rpc.reason}, ` : '';
    return new RemoteAgentRefusedError(`answered with a JSON-RPC error (${reason}${rpc.envelopeCode})`);
  }
  return new InvalidAgentResponseError(`answered with ${describe(err)}`);
}

/** What kind of unreadable answer it was, in our words (SDK messages quote remote bodies). */
function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : '';
  if (err instanceof SyntaxError || /JSON\.parse|Unexpected token|not valid JSON|parse SSE/i.test(text)) {
    return 'a body that is not JSON';
  }
  if (/jsonrpc/i.test(text)) return 'something that is not a JSON-RPC 2.0 response';
  if (/ID mismatch/i.test(text)) return 'a JSON-RPC response to another request';
  if (/missing payload|missing 'result'|empty Message/i.test(text)) return 'a response without a result';
  if (/Content-Type/i.test(text)) return 'an unexpected content type';
  if (/SSE|event/i.test(text)) return 'a malformed event stream';
  return 'an unreadable response';
}

function findCause(err: unknown, match: (e: object) => boolean, depth = 0): object | undefined {
  if (typeof err !== 'object' || err === null || depth > 5) return undefined;
  if (match(err)) return err;
  return findCause((err as { cause?: unknown }).cause, match, depth + 1);
}
