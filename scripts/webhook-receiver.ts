/**
 * Demo push-notification receiver: verifies each POST with the shipped verifier and prints one
 * line per verified notification. Answers 200, 401 for a bad signature, 503 when the JWKS
 * cannot be fetched (so the gateway retries), 413 for an oversized body.
 *
 *   tsx scripts/webhook-receiver.ts --port 9090 \
 *     --jwks http://127.0.0.1:8080/.well-known/jwks.json \
 *     --audience http://127.0.0.1:9090/webhook [--issuer <gateway issuer>] [--host 127.0.0.1]
 *
 * The audience is the webhook URL exactly as registered with the gateway. Add
 * `--token <value>` to also require `X-A2A-Notification-Token` (0.3 token configs).
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { LOCAL_PUSH_ISSUER } from '../adapters/push/push-signer';
import { createPushVerifier, PushVerificationError } from '../adapters/push/verify-push-notification';
import { busyPortMessage, isAddressInUse } from './busy-port';
import { parseCli, usageFail } from './cli-args';

const MAX_BODY_BYTES = 1024 * 1024;

const CLI = {
  command: 'npm run webhook-receiver',
  usage: `Usage: npm run webhook-receiver -- --jwks <url> --audience <webhook url> [options]
  Verifies signed push notifications and prints one line per notification.
  --jwks <url>         the gateway's JWKS, e.g. http://127.0.0.1:8080/.well-known/jwks.json (required)
  --audience <url>     the webhook URL exactly as registered with the gateway (required)
  --port <n>           port to listen on (default: 9090)
  --host <address>     address to listen on (default: 127.0.0.1)
  --issuer <iss>       expected issuer (default: PUSH_ISSUER, else ${LOCAL_PUSH_ISSUER})
  --token <value>      also require X-A2A-Notification-Token (0.3 token configs)
  --path <path>        path to accept POSTs on (default: the audience's path)
  -h, --help           show this help`,
  options: {
    port: { type: 'string', default: '9090' },
    host: { type: 'string', default: '127.0.0.1' },
    jwks: { type: 'string' },
    audience: { type: 'string' },
    issuer: { type: 'string', default: process.env.PUSH_ISSUER ?? LOCAL_PUSH_ISSUER },
    token: { type: 'string' },
    path: { type: 'string' },
  },
} as const;
const values = parseCli(CLI);

const port = /^\d+$/.test(values.port) ? Number(values.port) : Number.NaN;
if (!values.jwks || !values.audience) usageFail(CLI, '--jwks and --audience are required');
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  usageFail(CLI, `--port must be a port number (got ${values.port})`);
}
if (!URL.canParse(values.audience)) usageFail(CLI, `--audience must be a URL (got ${values.audience})`);
const audience = values.audience;
const path = values.path ?? new URL(audience).pathname;
const verifier = createPushVerifier({ jwksUrl: values.jwks, issuer: values.issuer, audience });
const expectedToken = values.token === undefined ? undefined : Buffer.from(values.token);

const server = createServer((req, res) => {
  const reply = (status: number, text: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${text}\n`);
  };
  if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) {
    reply(404, 'not found');
    return;
  }
  readBody(req).then(
    async (body) => {
      if (body === undefined) {
        reply(413, 'body too large');
        return;
      }
      try {
        const n = await verifier.verify({ headers: req.headers, body });
        if (expectedToken && !tokenMatches(req.headers['x-a2a-notification-token'], expectedToken)) {
          log({ ok: false, reason: 'BAD_NOTIFICATION_TOKEN', taskId: n.taskId, seq: n.seq });
          reply(401, 'bad notification token');
          return;
        }
        log({
          ok: true,
          taskId: n.taskId,
          seq: n.seq,
          jti: n.jti,
          kind: kindOf(n.payload),
          state: stateOf(n.payload),
        });
        reply(200, 'ok');
      } catch (err) {
        if (!(err instanceof PushVerificationError)) throw err;
        log({ ok: false, reason: err.reason, message: err.message });
        reply(err.httpStatus, err.reason);
      }
    },
    (err: unknown) => {
      log({ ok: false, reason: 'READ_FAILED', message: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) reply(400, 'bad request');
    },
  );
});

server.once('error', (err) => {
  if (!isAddressInUse(err)) throw err;
  const another = `npm run webhook-receiver -- --port ${port === 65535 ? 9091 : port + 1} …`;
  void busyPortMessage(values.host, port, another).then((message) => {
    process.stderr.write(`npm run webhook-receiver: ${message}\n`);
    process.exit(1);
  });
});
server.listen(port, values.host, () => {
  process.stdout.write(
    `webhook receiver listening on http://${values.host}:${port}${path} (audience ${audience})\n`,
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

/** The raw bytes (never re-serialized), or undefined past the size cap. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.destroy();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function tokenMatches(header: string | string[] | undefined, expected: Buffer): boolean {
  if (typeof header !== 'string') return false;
  const got = Buffer.from(header);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

function kindOf(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null) return typeof payload;
  const keys = Object.keys(payload);
  const known = ['statusUpdate', 'artifactUpdate', 'task', 'message'].find((k) => keys.includes(k));
  return known ?? ('kind' in payload && typeof payload.kind === 'string' ? payload.kind : 'unknown');
}

function stateOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const p = payload as { statusUpdate?: { status?: { state?: unknown } }; status?: { state?: unknown } };
  const state = p.statusUpdate?.status?.state ?? p.status?.state;
  return typeof state === 'string' ? state : undefined;
}

function log(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`);
}
