/**
 * One DynamoDB Local per data folder: a pid file (`dynamodb-local.pid`) in the folder names the
 * process that owns it, and later the DynamoDB Local it runs. A second start on the same folder
 * fails with DynamoLocalInUseError naming that process; a file left by a process that is gone
 * is taken over, after stopping the DynamoDB Local it names if that one still runs.
 */
import { execFile } from 'node:child_process';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const DYNAMO_LOCAL_PID_FILE = 'dynamodb-local.pid';

interface PidFile {
  /** the process that owns the folder (the stack) */
  pid: number;
  /** the DynamoDB Local it runs, once started */
  javaPid?: number;
  port?: number;
}

export class DynamoLocalInUseError extends Error {
  static readonly code = 'ERR_DYNAMO_LOCAL_IN_USE';
  readonly code = DynamoLocalInUseError.code;
  readonly ownerPid: number;
  constructor(displayPath: string, held: PidFile) {
    const java = held.javaPid === undefined ? '' : ` (DynamoDB Local pid ${held.javaPid}, port ${held.port})`;
    super(
      `Another stack (pid ${held.pid}) uses ${displayPath}${java}. Stop it first, or start with --store memory. ` +
        `If no such process runs, delete ${join(displayPath, DYNAMO_LOCAL_PID_FILE)}.`,
    );
    this.name = 'DynamoLocalInUseError';
    this.ownerPid = held.pid;
  }
}

export interface DataDirLock {
  /** Records the DynamoDB Local this process started in the folder. */
  record(javaPid: number, port: number): Promise<void>;
  /** Removes the pid file if it is still this process's. Idempotent. */
  release(): Promise<void>;
  /** The same, synchronously (for process 'exit'). */
  releaseSync(): void;
}

const ATTEMPTS = 5;

/** Takes the folder for this process or throws DynamoLocalInUseError. `dir` must exist. */
export async function lockDataDir(dir: string, displayPath: string): Promise<DataDirLock> {
  const path = join(dir, DYNAMO_LOCAL_PID_FILE);
  const mine = (): boolean => parse(readText(path))?.pid === process.pid;
  const lock: DataDirLock = {
    async record(javaPid, port) {
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ pid: process.pid, javaPid, port }), { mode: 0o600 });
      await rename(tmp, path);
    },
    async release() {
      if (mine()) await rm(path, { force: true });
    },
    releaseSync() {
      if (mine()) unlinkSync(path);
    },
  };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      await writeFile(path, JSON.stringify({ pid: process.pid }), { flag: 'wx', mode: 0o600 });
      return lock;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const raw = readText(path);
    const held = parse(raw);
    if (raw === undefined) continue; // gone meanwhile: try again
    if (held === undefined) {
      // being written right now, or garbage: look again before calling it stale
      if (attempt < ATTEMPTS - 2) {
        await sleep(100);
        continue;
      }
    } else if (isAlive(held.pid)) {
      throw new DynamoLocalInUseError(displayPath, held);
    } else if (held.javaPid !== undefined && isAlive(held.javaPid)) {
      if (!(await isDynamoLocal(held.javaPid))) throw new DynamoLocalInUseError(displayPath, held);
      await stopOrphan(held.javaPid);
    }
    await takeOver(path, raw);
  }
  throw new Error(`DynamoDB Local: could not take ${displayPath} (${DYNAMO_LOCAL_PID_FILE} keeps changing)`);
}

/** Removes a stale pid file, unless it changed since it was judged stale. */
async function takeOver(path: string, judged: string): Promise<void> {
  const aside = `${path}.${process.pid}.stale`;
  if (
    !(await rename(path, aside).then(
      () => true,
      () => false,
    ))
  )
    return;
  if (readText(aside) !== judged) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parse(raw: string | undefined): PidFile | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<PidFile>;
    return Number.isInteger(value.pid) && (value.pid ?? 0) > 0 ? (value as PidFile) : undefined;
  } catch {
    return undefined;
  }
}

/** The process exists and is not a zombie (an exited child nobody reaped yet). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = readText(`/proc/${pid}/stat`);
  return stat === undefined || !/^\d+ \(.*\) Z/s.test(stat);
}

/** The process's command line names DynamoDB Local (never stop a process that reused the pid). */
async function isDynamoLocal(pid: number): Promise<boolean> {
  const cmdline =
    readText(`/proc/${pid}/cmdline`) ??
    (await new Promise<string>((done) =>
      execFile('ps', ['-o', 'command=', '-p', String(pid)], (err, stdout) => done(err ? '' : stdout)),
    ));
  return /DynamoDBLocal|DynamoLocalLauncher/.test(cmdline);
}

async function stopOrphan(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
  if (isAlive(pid)) throw new Error(`DynamoDB Local: the orphaned DynamoDB Local (pid ${pid}) did not stop`);
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));
