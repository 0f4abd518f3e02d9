/**
 * Hooks for benchmark modules other people own: scripts/bench/sse-latency.ts (gateway streaming)
 * and scripts/bench/worker-cold-start.ts (LangGraph workers). When the file exists it is imported
 * and its function is called with `{ quick }`. Expected contract (lenient):
 *   export async function run(o: { quick: boolean }): Promise<Result>
 * where the function may also be the default export or the only exported function, and Result is
 * `{ rows: BenchRow[]; notes?: string[] }`, a `BenchRow[]`, or a flat `{ metric: number }` record
 * (keys ending in `Ms` are milliseconds, in `Bytes` bytes). worker-cold-start.ts's own API,
 * `measureWorkerColdStart({ runs })` + `workerColdStartRows(result)`, is called as it is.
 */
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, BenchRow } from './bench-types';

export type OptionalBench = 'sse-latency' | 'worker-cold-start';

export type OptionalOutcome =
  | { kind: 'absent' }
  | { kind: 'ran'; rows: BenchRow[]; notes: string[] }
  | { kind: 'failed'; error: string };

type BenchFunction = (o: BenchOptions) => unknown;

const PREFERRED = [
  'run',
  'bench',
  'benchSseLatency',
  'sseLatency',
  'benchWorkerColdStart',
  'workerColdStart',
  'default',
];

type Fn = (...args: unknown[]) => unknown;

function pickFunction(mod: Record<string, unknown>): BenchFunction | undefined {
  const { measureWorkerColdStart: measure, workerColdStartRows: rows } = mod;
  if (typeof measure === 'function' && typeof rows === 'function') {
    return async (o) => (rows as Fn)(await (measure as Fn)({ runs: o.quick ? 3 : 7 }));
  }
  for (const name of PREFERRED) if (typeof mod[name] === 'function') return mod[name] as BenchFunction;
  const functions = Object.values(mod).filter((v) => typeof v === 'function');
  return functions.length === 1 ? (functions[0] as BenchFunction) : undefined;
}

function isRow(v: unknown): v is BenchRow {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as BenchRow).metric === 'string' &&
    typeof (v as BenchRow).value === 'number'
  );
}

function toRows(section: string, result: unknown): { rows: BenchRow[]; notes: string[] } | undefined {
  if (Array.isArray(result) && result.every(isRow))
    return { rows: result.map((r) => ({ ...r, section })), notes: [] };
  if (typeof result !== 'object' || result === null) return undefined;
  const r = result as { rows?: unknown; notes?: unknown };
  if (Array.isArray(r.rows) && r.rows.every(isRow)) {
    const notes = Array.isArray(r.notes) ? r.notes.filter((n): n is string => typeof n === 'string') : [];
    return { rows: r.rows.map((row) => ({ ...row, section })), notes };
  }
  const entries = Object.entries(result).filter((e): e is [string, number] => typeof e[1] === 'number');
  if (entries.length === 0) return undefined;
  const unit = (key: string) => (/Ms$/.test(key) ? 'ms' : /Bytes$/.test(key) ? 'bytes' : '');
  return {
    rows: entries.map(([metric, value]) => ({ section, metric, value, unit: unit(metric) })),
    notes: [],
  };
}

export async function runOptionalBench(
  name: OptionalBench,
  section: string,
  o: BenchOptions,
): Promise<OptionalOutcome> {
  const path = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  try {
    await access(path);
  } catch {
    return { kind: 'absent' };
  }
  try {
    const mod = (await import(path)) as Record<string, unknown>;
    const fn = pickFunction(mod);
    if (!fn) return { kind: 'failed', error: `${name}.ts exports no benchmark function (expected run(o))` };
    const converted = toRows(section, await fn(o));
    if (!converted)
      return { kind: 'failed', error: `${name}.ts returned a result this runner does not understand` };
    return { kind: 'ran', ...converted };
  } catch (err) {
    return { kind: 'failed', error: readable(err instanceof Error ? err.message : String(err)) };
  }
}

/** An error message without the minified source lines a failed bundle import prints. */
function readable(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l.length < 240 && !l.startsWith('at '));
  return lines.slice(0, 6).join(' ').slice(0, 600);
}
