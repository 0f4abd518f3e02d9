import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VettedOutboundUrl } from '../../adapters/net/outbound-url';
import { openPinnedRequest } from '../../adapters/net/pinned-request';

let port = 0;
let seen: IncomingHttpHeaders | undefined;
const server = createServer((req, res) => {
  seen = req.headers;
  res.end('ok');
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const vetted = (hostname: string, addresses: VettedOutboundUrl['addresses']): VettedOutboundUrl => ({
  url: new URL(`http://${hostname}:${port}/hook?x=1`),
  hostname,
  isIpLiteral: false,
  addresses,
});

const status = (v: VettedOutboundUrl) =>
  new Promise<number>((resolve, reject) => {
    const req = openPinnedRequest(v, 'GET', { 'x-probe': '1' }, (res: IncomingMessage) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });

describe('openPinnedRequest', () => {
  it('connects to the vetted address, never resolving the name again, and keeps the name as Host', async () => {
    // `pinned.invalid` resolves nowhere: reaching the server proves the socket used the vetted address.
    expect(await status(vetted('pinned.invalid', [{ address: '127.0.0.1', family: 4 }]))).toBe(200);
    expect(seen?.host).toBe(`pinned.invalid:${port}`);
    expect(seen?.['x-probe']).toBe('1');
  });

  it('fails with ENOTFOUND when the check left no address to connect to', async () => {
    await expect(status(vetted('pinned.invalid', []))).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });
});
