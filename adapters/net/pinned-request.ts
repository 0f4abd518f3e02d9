/**
 * The one way an outbound request to a vetted URL (outbound-url.ts) is opened: the socket connects
 * only to the addresses the check returned (a custom `lookup`, so there is no DNS-rebinding window
 * between check and connect), while Host and the TLS server name stay the URL's hostname; no
 * connection reuse (`agent: false`). Redirects are the caller's to refuse: this never follows one.
 * Time and size caps stay with the callers (push delivery and the remote agents' fetch bound
 * different things).
 */
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { VettedOutboundUrl } from './outbound-url';

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
): ClientRequest {
  const { url, hostname, addresses } = vetted;
  const pinned: LookupFunction = (_host, options, callback) => {
    const first = addresses[0];
    if (!first) callback(Object.assign(new Error('no vetted address'), { code: 'ENOTFOUND' }), '', 4);
    else if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  };
  const options: RequestOptions & { servername?: string } = {
    method,
    host: hostname,
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers,
    lookup: pinned,
    agent: false,
  };
  if (url.protocol === 'https:' && !vetted.isIpLiteral) options.servername = hostname;
  const doRequest = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return doRequest(options, onResponse);
}
