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
  RestTransportFactory,
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
 * The SDK with its HTTP+JSON (REST) transport, preferred over the card's first interface: every
 * call goes to the binding's resource URLs (`/message:send`, `/tasks/{id}`, …). `fetchImpl`
 * (optional) wraps the bearer fetch, e.g. to record the URLs the client calls.
 */
export async function sdkRestClient(
  baseUrl: string,
  agentId: string,
  token: string,
  wrap: (f: typeof fetch) => typeof fetch = (f) => f,
): Promise<Client> {
  const fetchImpl = wrap(bearerFetch(token));
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new RestTransportFactory({ fetchImpl }), new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
      preferredTransports: ['HTTP+JSON'],
    }),
  );
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

/**
 * The SDK pointed at the stack's *origin*, as a user who knows only the host would: the card comes
 * from `/.well-known/agent-card.json` requested without `A2A-Version` (the header is stripped
 * from card requests, as 0.3 clients and plain tools send none), so the gateway's default agent
 * answers with the card a header-less client gets, and the SDK finds the v1.0 interfaces in it.
 */
export async function sdkOriginClient(origin: string, token: string): Promise<Client> {
  const authorized = bearerFetch(token);
  const fetchImpl: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.includes('/.well-known/')) return authorized(input, init);
    const headers = new Headers(init?.headers);
    headers.delete('a2a-version');
    return authorized(input, { ...init, headers });
  };
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    }),
  );
  return factory.createFromUrl(origin);
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
