/**
 * Exchange rates for the currency agent's tool: a live API in AWS (Frankfurter's API shape, URL
 * from config) or fixture rates offline. Both answer in Frankfurter's shape: the converted amount
 * per target currency. A transient failure of the live API (timeout, network, 429, 5xx) is a
 * RetryableError, so the work message is retried; a refused query is a RateLookupError, which the
 * tool reports to the model instead.
 */
import { RetryableError } from '../../../core/errors';

export interface RateQuery {
  from: string;
  to: string;
  amount: number;
  /** YYYY-MM-DD; latest when absent */
  date?: string;
}

export interface RateQuote {
  amount: number;
  base: string;
  date: string;
  rates: Record<string, number>;
}

export interface ExchangeRates {
  quote(q: RateQuery): Promise<RateQuote>;
}

export class RateLookupError extends Error {
  override readonly name = 'RateLookupError';
  static readonly code = 'ERR_RATE_LOOKUP';
  readonly code = RateLookupError.code;
}

/** Units per 1 USD, fixed so tests and offline runs are deterministic. */
export const FIXTURE_USD_RATES: Readonly<Record<string, number>> = {
  USD: 1,
  EUR: 0.92,
  GBP: 0.79,
  JPY: 151.2,
  CHF: 0.88,
  CAD: 1.36,
  AUD: 1.52,
  NZD: 1.66,
  CNY: 7.23,
  HKD: 7.82,
  SGD: 1.35,
  INR: 83.3,
  KRW: 1350,
  SEK: 10.6,
  NOK: 10.8,
  DKK: 6.87,
  PLN: 4.0,
  MXN: 17.1,
  BRL: 5.05,
  ZAR: 18.6,
  TRY: 32.2,
};
export const FIXTURE_DATE = '2026-01-02';

export const fixtureRates: ExchangeRates = {
  async quote({ from, to, amount }) {
    const f = FIXTURE_USD_RATES[from];
    const t = FIXTURE_USD_RATES[to];
    if (f === undefined || t === undefined) {
      throw new RateLookupError(`No rate for ${f === undefined ? from : to}`);
    }
    return { amount, base: from, date: FIXTURE_DATE, rates: { [to]: round((amount * t) / f) } };
  },
};

/** Frankfurter: GET {base}/{date|latest}?from=USD&to=EUR&amount=100 */
export function liveRates(
  baseUrl: string,
  opts: { timeoutMs?: number; fetch?: typeof fetch; now?: () => number } = {},
): ExchangeRates {
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  return {
    async quote({ from, to, amount, date }) {
      const day = encodeURIComponent(checkRateDate(date ?? 'latest', now()));
      const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${day}`);
      url.search = new URLSearchParams({ from, to, amount: String(amount) }).toString();
      let res: Response;
      try {
        res = await doFetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 5000) });
      } catch (err) {
        throw new RetryableError(`rates API unreachable: ${(err as Error).message}`, { cause: err });
      }
      if (res.status === 429 || res.status >= 500) {
        await res.body?.cancel();
        throw new RetryableError(`rates API answered ${res.status}`);
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new RateLookupError(`The rates API refused ${from} to ${to} (HTTP ${res.status})`);
      }
      const body = (await res.json()) as Partial<RateQuote>;
      if (typeof body.rates?.[to] !== 'number') throw new RateLookupError(`No rate for ${to}`);
      return { amount, base: from, date: String(body.date ?? date ?? ''), rates: { [to]: body.rates[to] } };
    },
  };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * A rate date as the model gives it: "latest", or a real calendar date YYYY-MM-DD that is not
 * more than a day ahead of `now` (time zones). Anything else is a RateLookupError (the model is
 * told, nothing is fetched): the date becomes a path segment of the rates API's URL.
 */
export function checkRateDate(value: string, now: number): string {
  const v = value.trim();
  if (v.toLowerCase() === 'latest') return 'latest';
  const m = DATE.exec(v);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const at = Date.UTC(y, mo - 1, d);
  const real = m !== null && new Date(at).toISOString().slice(0, 10) === v;
  if (!real)
    throw new RateLookupError(
      `The date must be YYYY-MM-DD or "latest" (got ${JSON.stringify(v.slice(0, 32))})`,
    );
  if (at > now + DAY_MS) throw new RateLookupError(`No rates for ${v} yet: the date is in the future`);
  return v;
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;
