/**
 * Lambda bundles for the cold-start benchmark: each entry bundled in memory with the options of
 * scripts/build.ts (ESM, node22, minified, AWS SDK bundled, a createRequire banner), then timed in
 * fresh `node` processes: from the start of the import until the handler export exists (module
 * scope config and wiring included), with dummy values for the env each config module reads.
 */
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { lambdaBuildOptions } from '../build';
import { runNodeChild } from './node-child';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT_DIR = join(ROOT, '.local', 'bench', 'cold-start');

export interface LambdaEntryRef {
  name: string;
  entry: string;
  handler: string;
}

/** The four of the benchmark issue; deploy/lambda-entries.ts adds any others. */
const BASE_ENTRIES: readonly LambdaEntryRef[] = [
  { name: 'gateway', entry: 'gateway/lambda/lambda.ts', handler: 'handler' },
  { name: 'authorizer', entry: 'authorizer/handler.ts', handler: 'handler' },
  { name: 'agent-worker', entry: 'workers/agent-worker/lambda.ts', handler: 'handler' },
  { name: 'push-dispatcher', entry: 'workers/push-dispatcher/lambda.ts', handler: 'handler' },
];

export async function lambdaEntries(): Promise<LambdaEntryRef[]> {
  const entries = [...BASE_ENTRIES];
  const listed = join(ROOT, 'scripts', 'lambda-entries.ts');
  try {
    await access(listed);
    const mod = (await import(listed)) as { LAMBDA_ENTRIES?: readonly LambdaEntryRef[] };
    for (const e of mod.LAMBDA_ENTRIES ?? []) {
      if (!entries.some((x) => x.entry === e.entry))
        entries.push({ name: e.name, entry: e.entry, handler: e.handler });
    }
  } catch {
    // no list (yet): the four above
  }
  const present: LambdaEntryRef[] = [];
  for (const e of entries) {
    if (
      await access(join(ROOT, e.entry)).then(
        () => true,
        () => false,
      )
    )
      present.push(e);
  }
  return present;
}

/** Values that pass every deployable's config checks; no client is used, so nothing is contacted. */
export const DUMMY_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_EC2_METADATA_DISABLED: 'true',
  TABLE_NAME: 'bench-table',
  WORK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-work',
  PUSH_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench-push',
  PUSH_SIGNING_SECRET_ID: 'bench-push-signing',
  PUSH_ISSUER: 'https://gateway.example.com',
  PUBLIC_BASE_URL: 'https://gateway.example.com',
  AUTH_ISSUER: 'https://issuer.example.com/',
  AUTH_AUDIENCE: 'a2a-gateway',
  AUTH_JWKS_URL: 'https://issuer.example.com/.well-known/jwks.json',
  LOG_LEVEL: 'info',
  MODEL_PROVIDER: 'local',
};

/**
 * The same-run reference: a bare fastify app with one route, bundled the same way, except that
 * fastify's default schema compilers stay in (the gateway's bundles leave them out, decision 81).
 */
export const REFERENCE_ENTRY: LambdaEntryRef = {
  name: 'reference-bare-fastify',
  entry: '(written by bundleEntry)',
  handler: 'handler',
};
const REFERENCE_SOURCE =
  "import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/', async () => 'ok');\nexport const handler = async () => app;\n";

/**
 * Bundles one entry in memory with scripts/build.ts's options and writes it under .local/bench
 * for the timing processes: `bytes` is what a zip ships (index.mjs and its chunks), `initBytes`
 * the files a cold start loads (index.mjs and the chunks it imports statically).
 */
export async function bundleEntry(
  e: LambdaEntryRef,
): Promise<{ bytes: number; initBytes: number; file: string; files: Uint8Array[] }> {
  const outdir = join(OUT_DIR, e.name);
  let options = lambdaBuildOptions(e.entry, outdir);
  if (e === REFERENCE_ENTRY) {
    const entry = join(OUT_DIR, 'reference-source', 'index.ts');
    await mkdir(dirname(entry), { recursive: true });
    await writeFile(entry, REFERENCE_SOURCE);
    // stock fastify, which loads its default schema compilers: they stay in
    options = { ...lambdaBuildOptions(entry, outdir), plugins: [] };
  }
  const result = await build({ ...options, write: false });
  await rm(outdir, { recursive: true, force: true });
  const files: Uint8Array[] = [];
  for (const f of result.outputFiles) {
    if (!f.path.endsWith('.mjs')) continue;
    await mkdir(dirname(f.path), { recursive: true });
    await writeFile(f.path, f.contents);
    files.push(f.contents);
  }
  const bytes = files.reduce((n, f) => n + f.length, 0);
  const file = join(outdir, 'index.mjs');
  const initBytes = initialBytes(result.metafile.outputs, relative(ROOT, file));
  return { bytes, initBytes, file, files };
}

/** The bytes of `entry` and of every chunk it imports statically, transitively. */
function initialBytes(outputs: Metafile['outputs'], entry: string): number {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const i of outputs[path]?.imports ?? [])
      if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entry);
  return [...seen].reduce((n, path) => n + (outputs[path]?.bytes ?? 0), 0);
}

// the streaming function wraps its handler with the Lambda runtime's awslambda global at load
const TIMER = `
globalThis.awslambda ??= { streamifyResponse: (h) => h, HttpResponseStream: { from: (s) => s } };
const t0 = performance.now();
const m = await import(process.argv[1]);
if (typeof m[process.argv[2]] !== 'function') throw new Error('no handler export ' + process.argv[2]);
process.stdout.write(JSON.stringify({ importMs: performance.now() - t0, sinceStartMs: performance.now() }));
`;

/**
 * One fresh process: ms to import the bundle and have the handler, and ms since process start.
 * `env` is what the entry's config module reads (DUMMY_ENV unless given).
 */
export async function timeImport(
  file: string,
  handler: string,
  env: Record<string, string> = DUMMY_ENV,
): Promise<{ importMs: number; sinceStartMs: number }> {
  const { code, out, err } = await runNodeChild(['--input-type=module', '-e', TIMER, file, handler], {
    cwd: OUT_DIR,
    env: { PATH: process.env.PATH ?? '', ...env },
    timeoutMs: 30_000,
  });
  if (code !== 0) throw new Error(`importing ${file} failed (${code}): ${err.trim().slice(-400)}`);
  try {
    return JSON.parse(out) as { importMs: number; sinceStartMs: number };
  } catch {
    throw new Error(`unexpected output from the timing process: ${out.slice(0, 200)}`);
  }
}
