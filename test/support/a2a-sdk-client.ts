/**
 * The official @a2a-js/sdk client, pointed at a gateway URL with a bearer token: a real A2A client
 * that nobody here wrote. Small factories build its request shapes.
 */
import { type Message, Role } from '@a2a-js/sdk';
import {
  type Client,
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
} from '@a2a-js/sdk/client';

const bearerFetch =
  (token: string): typeof fetch =>
  (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };

export async function sdkClient(baseUrl: string, agentId: string, token: string): Promise<Client> {
  const fetchImpl = bearerFetch(token);
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
    }),
  );
  // The trailing slash makes the card path resolve under the agent, not beside it.
  return factory.createFromUrl(`${baseUrl}/agents/${agentId}/`);
}

/**
 * The same SDK in 0.3 mode: its legacy-compat card resolver reads the 0.3 card a 0.3 client finds
 * at `.well-known/agent.json`, and the JSON-RPC factory picks the legacy transport because that
 * card's interface says protocolVersion 0.3 (slash method names, `kind` shapes, A2A-Version 0.3).
 */
export async function sdkLegacyClient(baseUrl: string, agentId: string, token: string): Promise<Client> {
  const fetchImpl = bearerFetch(token);
  const legacyCompat = { enabled: true };
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl, legacyCompat }),
    }),
  );
  return factory.createFromUrl(`${baseUrl}/agents/${agentId}/`, '.well-known/agent.json');
}

export function sdkMessage(
  text: string,
  o: { messageId?: string; taskId?: string; contextId?: string } = {},
): Message {
  return {
    messageId: o.messageId ?? `m-${Math.random().toString(36).slice(2)}`,
    contextId: o.contextId ?? '',
    taskId: o.taskId ?? '',
    role: Role.ROLE_USER,
    parts: [{ content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: '' }],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  };
}

export const sendParams = (message: Message, returnImmediately = false) => ({
  tenant: '',
  message,
  configuration: { acceptedOutputModes: [], taskPushNotificationConfig: undefined, returnImmediately },
  metadata: undefined,
});
