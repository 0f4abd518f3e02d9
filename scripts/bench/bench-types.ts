/**
 * What every benchmark section returns: rows of figures (each a ratio against a reference
 * measured in the same run, a count, or a latency with its target), plus notes for BENCHMARKS.md.
 */

export interface Target {
  /** how the figure compares: 'max' = at most `value`, 'min' = at least `value` */
  kind: 'max' | 'min';
  value: number;
  /** shown in the table, e.g. "≥ 0.5× bare" */
  label: string;
  /** why the figure misses the target and what would close it (printed only when it does) */
  ifMissed?: string;
}

export interface BenchRow {
  section: string;
  metric: string;
  value: number;
  unit: string;
  target?: Target;
  /** one line of context in the table */
  note?: string;
}

export interface SectionResult {
  section: string;
  rows: BenchRow[];
  /** paragraphs for BENCHMARKS.md (method, what dominates, assumptions) */
  notes: string[];
}

export interface BenchOptions {
  quick: boolean;
}

export type Verdict = 'met' | 'missed' | '';

export function verdict(row: BenchRow): Verdict {
  const t = row.target;
  if (!t || !Number.isFinite(row.value)) return '';
  return (t.kind === 'max' ? row.value <= t.value : row.value >= t.value) ? 'met' : 'missed';
}

/** Nearest-rank percentile of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** The middle sample, or the mean of the two middle ones. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export const round = (n: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const text = value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return unit === '' ? text : `${text} ${unit}`;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes (then undefined). */
export async function until<T>(
  fn: () => T | Promise<T>,
  timeoutMs: number,
  everyMs = 20,
): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) return undefined;
    await sleep(everyMs);
  }
}

/** The order of `items` in round `round`: rotated by one per round, so none always goes first. */
export function rotation<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const shift = ((round % n) + n) % n;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * The median over rounds of `a[i] / b[i]`: a ratio taken between two figures of the same round
 * (measured close together, under the same machine load). Rounds missing either side are skipped.
 */
export function perRoundRatio(a: readonly number[], b: readonly number[]): number {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const num = a[i] as number;
    const den = b[i] as number;
    if (Number.isFinite(num) && Number.isFinite(den) && den > 0) ratios.push(num / den);
  }
  return median(ratios);
}
