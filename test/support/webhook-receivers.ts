/**
 * Loopback HTTP receivers for webhook tests (127.0.0.0/8 only, ephemeral ports): they record
 * every request (method, url, headers, body bytes, local address) and answer with a handler.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** the address the request arrived on: which receiver the client actually reached */
  localAddress: string | undefined;
}

export interface Receiver {
  host: string;
  port: number;
  /** `http://<host>:<port>` */
  origin: string;
  requests: ReceivedRequest[];
  /** TCP connections accepted (also counts connections that never sent a full request) */
  readonly connections: number;
  close(): Promise<void>;
}

export type Handler = (req: ReceivedRequest, res: ServerResponse) => void;

const ok: Handler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
};

export async function startReceiver(
  handler: Handler = ok,
  options: { host?: string; port?: number } = {},
): Promise<Receiver> {
  const host = options.host ?? '127.0.0.1';
  const requests: ReceivedRequest[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        localAddress: req.socket.localAddress,
      };
      requests.push(received);
      handler(received, res);
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  const port = await listen(server, host, options.port ?? 0);
  return {
    host,
    port,
    origin: `http://${host}:${port}`,
    requests,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (connection refused). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server, '127.0.0.1', 0);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
