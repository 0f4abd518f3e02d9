/**
 * Runs the real `terraform` binary on a private copy of terraform/ (its own .terraform, state
 * and lock file under a temp folder, so runs never collide), offline: providers come from the
 * machine's plugin mirror (`tf-plugins`), the CLI config is empty, input is off.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { REPO_ROOT } from './sdk-actions';

const INSTALL_HINT =
  'terraform (>= 1.9) must be on PATH: it is pre-installed on the project machines; elsewhere install it ' +
  'from HashiCorp (see scripts/ensure-prereqs.sh and docs/DEPLOY.md)';

/** The terraform binary on PATH, or a clear error. */
export async function terraformBinary(): Promise<string> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'terraform');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this PATH entry
    }
  }
  throw new Error(`terraform not found on PATH. ${INSTALL_HINT}`);
}

const SKIP_DIRS = new Set(['proc', 'sys', 'dev', 'run', 'tmp', 'node_modules', '.git']);

/** The offline provider mirror: $TF_PLUGIN_DIR, or a `tf-plugins` folder at most 3 levels below /. */
export async function pluginDir(): Promise<string> {
  const fromEnv = process.env.TF_PLUGIN_DIR;
  if (fromEnv) return fromEnv;
  let level = ['/'];
  for (let depth = 0; depth < 3; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const child of children) {
        if (!child.isDirectory() || SKIP_DIRS.has(child.name)) continue;
        const path = join(dir, child.name);
        if (child.name === 'tf-plugins') return path;
        next.push(path);
      }
    }
    level = next;
  }
  throw new Error('no offline provider mirror (a tf-plugins folder) found; set TF_PLUGIN_DIR');
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Workspace {
  /** the temp folder holding terraform/ (a copy), dist/ and anything a test adds */
  dir: string;
  /** the copy of the root module */
  root: string;
  distDir: string;
  run(args: readonly string[], opts?: { timeoutMs?: number }): Promise<RunResult>;
  /** like run, but throws with terraform's output when it fails */
  ok(args: readonly string[], opts?: { timeoutMs?: number }): Promise<string>;
  /** `terraform show -json` of a saved plan, or of the state when planFile is omitted */
  showJson<T>(planFile?: string): Promise<T>;
  dispose(): Promise<void>;
}

/** Copies terraform/ (without local state or provider caches) into a fresh temp folder. */
export async function createWorkspace(prefix: string): Promise<Workspace> {
  const binary = await terraformBinary();
  const dir = await mkdtemp(join(tmpdir(), `a2a-tf-${prefix}-`));
  const root = join(dir, 'terraform');
  const distDir = join(dir, 'dist');
  await mkdir(distDir);
  await cp(join(REPO_ROOT, 'terraform'), root, {
    recursive: true,
    filter: (src) =>
      !/^(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate.*|.*_override\.tf)$/.test(basename(src)),
  });
  const cliConfig = join(dir, 'terraformrc');
  await writeFile(cliConfig, '');
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    TF_VAR_dist_dir: distDir,
  };
  const run = (args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> =>
    new Promise((resolve) => {
      execFile(
        binary,
        [...args],
        { cwd: root, env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr: error && !stderr ? String(error.message) : stderr });
        },
      );
    });
  const ok = async (args: readonly string[], opts?: { timeoutMs?: number }): Promise<string> => {
    const result = await run(args, opts);
    if (result.code !== 0) {
      throw new Error(
        `terraform ${args[0]} failed (exit ${result.code}):\n${result.stderr}\n${result.stdout.slice(-4000)}`,
      );
    }
    return result.stdout;
  };
  return {
    dir,
    root,
    distDir,
    run,
    ok,
    showJson: async <T>(planFile?: string) =>
      JSON.parse(await ok(['show', '-json', '-no-color', ...(planFile ? [planFile] : [])])) as T,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** `init` against the offline mirror. */
export async function init(ws: Workspace): Promise<void> {
  await ws.ok(['init', '-backend=false', `-plugin-dir=${await pluginDir()}`, '-input=false', '-no-color']);
}

/** Provider settings for runs without AWS: dummy keys, no account lookup, no metadata API. */
export function offlineProvider(endpoint?: string, services: readonly string[] = []): string {
  const endpoints = endpoint
    ? ['  endpoints {', ...services.map((s) => `    ${s} = "${endpoint}"`), '  }']
    : [];
  return [
    'provider "aws" {',
    '  access_key                  = "test"',
    '  secret_key                  = "test"',
    '  skip_credentials_validation = true',
    '  skip_requesting_account_id  = true',
    '  skip_metadata_api_check     = true',
    '  skip_region_validation      = true',
    '  s3_use_path_style           = true',
    ...endpoints,
    '}',
    '',
  ].join('\n');
}

/** Variables every test run sets: a placeholder issuer (nothing fetches it during plan or apply). */
export const TEST_VARS: readonly string[] = [
  '-var=auth_issuer=https://issuer.example.com',
  '-var=auth_audience=a2a-gateway',
  '-var=auth_jwks_url=https://issuer.example.com/.well-known/jwks.json',
];
