/** Runs `node <args>` to its end and collects what it wrote: the bench's one-shot measuring processes. */
import { spawn } from 'node:child_process';

export interface NodeChildResult {
  code: number | null;
  out: string;
  /** the last 2,000 characters of stderr */
  err: string;
}

export function runNodeChild(
  args: string[],
  opts: { env: Record<string, string>; cwd?: string; timeoutMs: number },
): Promise<NodeChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: opts.env,
      ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString()).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}
