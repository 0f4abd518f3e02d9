/**
 * moto in server mode (SQS, Secrets Manager, KMS, SSM, …) for tests and the local stack.
 * scripts/ensure-moto.sh installs it into .local/moto (fast no-op when already there); this
 * starts it on a free loopback port with Debian's python3 and stops it again.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const MOTO_VERSION = '5.1.1';
const PYTHON = '/usr/bin/python3';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const ensureScript = `${repoRoot}scripts/ensure-moto.sh`;
const sitePackages = `${repoRoot}.local/moto/root/usr/lib/python3/dist-packages`;

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const OUTPUT_TAIL_CHARS = 8_000;

export interface MotoServer {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  stop(): Promise<void>;
}

/** SDK client config for a local emulator (moto or DynamoDB Local): fixed region, dummy keys. */
export interface AwsTestConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export function awsTestEnv(endpoint: string): AwsTestConfig {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}

/**
 * What a Lambda entry reads to reach the emulators, for tests that import the entries: region,
 * dummy keys, the table, the emulator endpoints, and silent logs. Add the function's own env.
 */
export function lambdaEmulatorEnv(o: {
  dynamo: string;
  moto: string;
  table: string;
}): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    TABLE_NAME: o.table,
    DYNAMODB_ENDPOINT: o.dynamo,
    SQS_ENDPOINT: o.moto,
    SECRETSMANAGER_ENDPOINT: o.moto,
    LOG_LEVEL: 'silent',
  };
}

/** Installs moto if needed, starts it and resolves once it answers HTTP. */
export async function startMoto(): Promise<MotoServer> {
  await ensureMoto();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(PYTHON, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: repoRoot,
    env: { ...process.env, PYTHONPATH: sitePackages, PYTHONUNBUFFERED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // moto logs every request: keep draining both pipes (a full pipe blocks it), keep only the tail.
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exited (code ${code}, signal ${signal})`));
    child.once('error', (error) => resolve(`failed to start: ${error.message}`));
  });

  try {
    await waitUntilAnswering(endpoint, exited);
  } catch (error) {
    await kill(child);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `moto ${MOTO_VERSION} did not start on ${endpoint}: ${reason}\n--- moto output ---\n${output}`,
    );
  }
  return { endpoint, stop: () => kill(child) };
}

async function ensureMoto(): Promise<void> {
  try {
    await promisify(execFile)('bash', [ensureScript], { cwd: repoRoot, timeout: 600_000 });
  } catch (error) {
    const detail = error as { stdout?: string; stderr?: string; message?: string };
    throw new Error(
      `scripts/ensure-moto.sh failed: ${detail.message ?? String(error)}\n${detail.stdout ?? ''}${detail.stderr ?? ''}`,
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not pick a free port'));
      });
    });
  });
}

async function waitUntilAnswering(endpoint: string, exited: Promise<string>): Promise<void> {
  let exitReason: string | undefined;
  void exited.then((reason) => {
    exitReason = reason;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitReason !== undefined) throw new Error(exitReason);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`no answer within ${START_TIMEOUT_MS / 1000} s`);
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await gone;
  clearTimeout(timer);
}
