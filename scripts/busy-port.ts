/**
 * A clear message instead of a raw EADDRINUSE trace: which port is taken, by which process when
 * `ss` or `lsof` can tell cheaply, and how to pick another one.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';

/** True when something already listens on host:port (checked by binding it briefly). */
export function portIsBusy(host: string, port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err) => (isAddressInUse(err) ? resolve(true) : reject(err)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

export const isAddressInUse = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'EADDRINUSE';

/** e.g. `port 8080 on 127.0.0.1 is already in use (by node, pid 4242). Stop it or pick another port: PORT=8081 npm start` */
export async function busyPortMessage(host: string, port: number, another: string): Promise<string> {
  const holder = await portHolder(port);
  const by = holder ? ` (by ${holder})` : '';
  const stop = holder ? 'Stop it or pick' : 'Pick';
  return `port ${port} on ${host} is already in use${by}. ${stop} another port: ${another}`;
}

/** "node, pid 4242" from `ss -ltnp` or `lsof`, when present and allowed to see it; else undefined. */
async function portHolder(port: number): Promise<string | undefined> {
  const ss = await run('ss', ['-Hltnp', `sport = :${port}`]);
  const fromSs = ss && /users:\(\("([^"]+)",pid=(\d+)/.exec(ss);
  if (fromSs) return `${fromSs[1]}, pid ${fromSs[2]}`;
  const lsof = await run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc']);
  const pid = lsof && /^p(\d+)$/m.exec(lsof)?.[1];
  const name = lsof && /^c(.+)$/m.exec(lsof)?.[1];
  if (pid) return name ? `${name}, pid ${pid}` : `pid ${pid}`;
  return undefined;
}

function run(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 2_000 }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}
