/**
 * `npm run build`: bundles every Lambda in deploy/lambda-entries.ts with esbuild into
 * `dist/<name>/index.mjs` (ESM, node22, minified, AWS SDK bundled) plus the chunks it loads on
 * first use (`dist/<name>/chunks/`), packs them into `dist/<name>.zip` reproducibly (fixed
 * timestamps and permissions, sorted entries), then writes `dist/manifest.json` for Terraform and
 * prints a size table. Same sources, same sha256.
 *
 * The AWS SDK is bundled, not taken from the runtime: the zip then runs exactly the SDK version
 * the tests ran against, and tree shaking keeps only the clients used (docs/DEPLOY.md has the
 * sizes). Code splitting turns what the code imports dynamically (the AWS SDK's credential
 * providers other than the environment's, among others) into chunks a cold start does not load
 * or compile (README decision 77). Source maps are written next to each file (`.mjs.map`) but not
 * shipped.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { type BuildOptions, build, type Plugin } from 'esbuild';
import { LAMBDA_ENTRIES, type LambdaEntry } from '../deploy/lambda-entries';
import {
  buildManifest,
  entryProblems,
  type ManifestFunction,
  manifestFunction,
} from '../deploy/lambda-manifest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE_FILE = 'index.mjs';

/** ESM output still meets CommonJS dependencies that call require() (fastify, pino, ...). */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __a2aCreateRequire } from 'node:module';\n" +
  'const require = __a2aCreateRequire(import.meta.url);';

export interface BuiltFunction {
  name: string;
  bundleBytes: number;
  zipBytes: number;
  sha256: string;
  manifest: ManifestFunction;
}

/**
 * fastify's default schema compilers (ajv, fast-json-stringify): fastify requires them only when
 * the app is given no compilers of its own, and the gateway gives its own (gateway/app.ts, README
 * decision 81), so they are left out of the bundles. What stands in throws if anything does
 * require it: a bundle missing a module it uses fails loudly, never quietly.
 */
const UNUSED_MODULES = /^@fastify\/(ajv-compiler|fast-json-stringify-compiler)$/;
const unusedFastifyCompilers: Plugin = {
  name: 'unused-fastify-compilers',
  setup(b) {
    b.onResolve({ filter: UNUSED_MODULES }, (args) => ({ path: args.path, namespace: 'unused' }));
    b.onLoad({ filter: /.*/, namespace: 'unused' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is left out of this bundle (scripts/build.ts)`)});`,
      loader: 'js',
    }));
  },
};

/**
 * esbuild's options for a Lambda bundle of `entry`: `<outdir>/index.mjs` and, split off it, the
 * modules it imports dynamically as `<outdir>/chunks/*.mjs` (each with the require banner). Shared
 * with the cold-start benchmark (scripts/bench/lambda-bundles.ts).
 */
export function lambdaBuildOptions(entry: string, outdir: string): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: ROOT,
    entryPoints: { index: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    minify: true,
    // only where a library needs class names at run time (deploy/lambda-entries.ts, decision 87)
    keepNames: LAMBDA_ENTRIES.some((e) => e.entry === entry && e.keepNames === true),
    legalComments: 'none',
    banner: { js: ESM_REQUIRE_BANNER },
    plugins: [unusedFastifyCompilers],
    metafile: true,
    logLevel: 'error',
  };
}

/**
 * Bundles one entry into `<distDir>/<name>/` and returns the files to ship (index.mjs and its
 * chunks, names relative to that folder); fails if the handler is not exported.
 */
async function bundle(entry: LambdaEntry, distDir: string): Promise<ZipFile[]> {
  const outdir = join(distDir, entry.name);
  const result = await build({ ...lambdaBuildOptions(entry.entry, outdir), sourcemap: 'external' });
  const outputs = result.metafile.outputs;
  if (!outputs[relative(ROOT, join(outdir, BUNDLE_FILE))]?.exports.includes(entry.handler)) {
    throw new Error(`${entry.entry} does not export '${entry.handler}'`);
  }
  const shipped = Object.keys(outputs).filter((path) => path.endsWith('.mjs'));
  return Promise.all(
    shipped.map(async (path) => ({
      name: relative(outdir, join(ROOT, path)),
      data: await readFile(join(ROOT, path)),
    })),
  );
}

export interface ZipFile {
  name: string;
  data: Uint8Array;
}

/** 1980-01-01 00:00:00, the earliest DOS timestamp: every entry gets it. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** regular file, rw-r--r-- */
const UNIX_FILE_MODE = 0o100644;

/**
 * A deterministic zip (deflate, no extra fields, no comments, entries sorted by name). Small by
 * design: Lambda bundles are a few files well under 4 GiB, so no zip64.
 */
export function createZip(files: readonly ZipFile[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const name = Buffer.from(file.name, 'utf8');
    const compressed = deflateRawSync(file.data, { level: 9 });
    const crc = crc32(file.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
    local.writeUInt16LE(8, 8); // method: deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(file.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, zip 2.0 (so the mode below counts)
    local.copy(central, 6, 4, 30); // version needed .. name length, as in the local header
    central.writeUInt16LE(0, 30); // extra length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((UNIX_FILE_MODE << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Empties distDir, refusing a non-empty folder that is not an earlier build (no manifest.json). */
async function cleanDist(distDir: string): Promise<void> {
  const existing = await readdir(distDir).catch((): string[] => []);
  if (existing.length > 0 && !existing.includes('manifest.json')) {
    throw new Error(`${distDir} is not empty and holds no earlier build (manifest.json): not deleting it`);
  }
  await rm(distDir, { recursive: true, force: true });
}

/** Builds every entry into distDir (emptied first) and writes its manifest. */
export async function buildAll(entries: readonly LambdaEntry[], distDir: string): Promise<BuiltFunction[]> {
  const problems = entryProblems(entries);
  if (problems.length > 0) throw new Error(`deploy/lambda-entries.ts:\n  - ${problems.join('\n  - ')}`);
  await cleanDist(distDir);
  await mkdir(distDir, { recursive: true });
  const built = await Promise.all(
    entries.map(async (entry): Promise<BuiltFunction> => {
      const files = await bundle(entry, distDir);
      const zip = createZip(files);
      await writeFile(join(distDir, `${entry.name}.zip`), zip);
      const sha256 = createHash('sha256').update(zip).digest('hex');
      return {
        name: entry.name,
        bundleBytes: files.reduce((n, f) => n + f.data.length, 0),
        zipBytes: zip.length,
        sha256,
        manifest: manifestFunction(entry, sha256),
      };
    }),
  );
  const manifest = buildManifest(built.map((b) => b.manifest));
  await writeFile(join(distDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return built;
}

export function sizeTable(built: readonly BuiltFunction[]): string {
  const kb = (bytes: number): string => (bytes / 1024).toFixed(1);
  const rows = [
    ['function', 'bundle KB', 'zip KB', 'sha256'],
    ...built.map((b) => [b.name, kb(b.bundleBytes), kb(b.zipBytes), b.sha256.slice(0, 12)]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))))
    .map((r) => r.join('  '))
    .join('\n');
}

async function main(): Promise<void> {
  const distDir = resolve(ROOT, process.env.DIST_DIR ?? 'dist');
  try {
    const built = await buildAll(LAMBDA_ENTRIES, distDir);
    console.log(sizeTable(built));
    console.log(`wrote ${built.length} zips and manifest.json to ${relative(ROOT, distDir) || '.'}/`);
  } catch (error) {
    console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
