/**
 * How `npm run a2a` reaches an agent: the official @a2a-js/sdk client over JSON-RPC, with a bearer
 * token (given, or minted by the local dev issuer as `npm run token` does), and a fetch that notes
 * the SSE `id:` of every event the client has taken, so a dropped stream resumes with
 * Last-Event-ID (the SDK parses SSE but does not expose event ids).
 */
import {
  type Client,
  ClientFactory,
  ClientFactoryOptions,
  JsonRpcTransportFactory,
} from '@a2a-js/sdk/client';
import { ALL_SCOPES, loadOrCreateDevIssuer } from '../../authorizer/dev-issuer';

/** Where the dev issuer's key lives, relative to the working directory (as for npm run token). */
export const DEV_ISSUER_DIR = '.local';

export interface Connection {
  client: Client;
  /** the ids of the current stream's events, in order; the last one taken resumes a dropped stream */
  cursor: StreamCursor;
}

/** The token given (`--token` / A2A_TOKEN), else a dev token of `tenant` with every scope. */
export async function bearerToken(given: string | undefined, tenant: string): Promise<string> {
  if (given) return given;
  const issuer = await loadOrCreateDevIssuer(DEV_ISSUER_DIR);
  return issuer.mint({ tenant, scopes: ALL_SCOPES, ttlSeconds: 3600 });
}

export async function connect(baseUrl: string, agentId: string, token: string): Promise<Connection> {
  const cursor = new StreamCursor();
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl: cursorFetch(token, cursor) })],
    }),
  );
  // The trailing slash makes the card path resolve under the agent, not beside it.
  const client = await factory.createFromUrl(`${baseUrl.replace(/\/+$/, '')}/agents/${agentId}/`);
  return { client, cursor };
}

/**
 * The SSE event ids of one stream. The fetch queues the id of each complete event as its bytes
 * pass; the consumer calls `taken()` once per event the SDK yields, which makes that id the one a
 * resumed stream starts after. (Events without data, such as `: ping` comments, yield nothing.)
 */
export class StreamCursor {
  private pending: (string | undefined)[] = [];
  lastEventId: string | undefined;

  /** a new stream: ids of a stream that ended are not the new one's */
  reset(): void {
    this.pending = [];
  }

  received(id: string | undefined): void {
    this.pending.push(id);
  }

  taken(): void {
    const id = this.pending.shift();
    if (id !== undefined) this.lastEventId = id;
  }
}

function cursorFetch(token: string, cursor: StreamCursor): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('authorization', `Bearer ${token}`);
    const res = await fetch(input, { ...init, headers });
    if (!res.body || !res.headers.get('content-type')?.startsWith('text/event-stream')) return res;
    cursor.reset();
    return new Response(res.body.pipeThrough(sseIdTap(cursor)), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  };
}

/** Passes the bytes through unchanged and reports each dispatched event's id (SSE field rules). */
export function sseIdTap(cursor: StreamCursor): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let carry = '';
  let id: string | undefined;
  let data = '';
  const line = (text: string): void => {
    if (text === '') {
      if (data !== '') cursor.received(id);
      data = '';
      id = undefined;
      return;
    }
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'data') data = data === '' ? value : `${data}\n${value}`;
  };
  return new TransformStream({
    transform(chunk, controller) {
      carry += decoder.decode(chunk, { stream: true });
      const lines = carry.split('\n');
      carry = lines.pop() ?? '';
      for (const l of lines) line(l.replace(/\r$/, ''));
      controller.enqueue(chunk);
    },
  });
}
