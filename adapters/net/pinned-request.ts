/**
 * The one way an outbound request to a vetted URL (outbound-url.ts) is opened: the socket connects
 * only to the addresses the check returned (a custom `lookup`, so there is no DNS-rebinding window
 * between check and connect), while Host and the TLS server name stay the URL's hostname; no
 * connection reuse (`agent: false`) unless the caller passes a PinnedAgentPool (pinned-agents.ts),
 * which keeps connections alive per origin and vetted address set, never across them. Redirects
 * are the caller's to refuse: this never follows one.
 * Time and size caps stay with the callers (push delivery and the remote agents' fetch bound
 * different things).
 */
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { VettedOutboundUrl } from './outbound-url';
import { type PinnedAgentPool, pinnedLookup } from './pinned-agents';

/** Headers the request sets itself (framing and Host): a caller may not pass them. */
export const CLIENT_SET_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
]);

/** Opens `method` on the vetted URL; the caller writes the body, ends it and handles errors. */
export function openPinnedRequest(
  vetted: VettedOutboundUrl,
  method: string,
  headers: Readonly<Record<string, string>>,
  onResponse: (res: IncomingMessage) => void,
  agents?: PinnedAgentPool,
): ClientRequest {
  const { url, hostname, addresses } = vetted;
  const options: RequestOptions & { servername?: string } = {
    method,
    host: hostname,
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers,
    lookup: pinnedLookup(addresses),
    agent: agents?.agentFor(vetted) ?? false,
  };
  if (url.protocol === 'https:' && !vetted.isIpLiteral) options.servername = hostname;
  const doRequest = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return doRequest(options, onResponse);
}
