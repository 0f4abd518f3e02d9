/**
 * A JWKS endpoint on 127.0.0.1 (ephemeral port) that counts requests, for token-verifier and
 * authorizer tests. `hang` mode accepts the request and never answers (a slow issuer).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

export interface JwksServer {
  url: string;
  /** Requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startJwksServer(
  jwks: { keys: JWK[] },
  options: { mode?: 'ok' | 'hang' } = {},
): Promise<JwksServer> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    if (options.mode === 'hang') return;
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens (connection refused). */
export async function refusedJwksUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/.well-known/jwks.json`;
}

function listen(server: ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}
