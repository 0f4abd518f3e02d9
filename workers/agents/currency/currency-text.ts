/** Reading currencies and amounts out of plain text (the offline model's "understanding"). */
import { FIXTURE_USD_RATES } from './exchange-rates';

const NAMES: Readonly<Record<string, string>> = {
  dollar: 'USD',
  dollars: 'USD',
  euro: 'EUR',
  euros: 'EUR',
  pound: 'GBP',
  pounds: 'GBP',
  sterling: 'GBP',
  yen: 'JPY',
  franc: 'CHF',
  francs: 'CHF',
  yuan: 'CNY',
  renminbi: 'CNY',
  rupee: 'INR',
  rupees: 'INR',
  won: 'KRW',
  peso: 'MXN',
  pesos: 'MXN',
  real: 'BRL',
  reais: 'BRL',
  rand: 'ZAR',
  lira: 'TRY',
  zloty: 'PLN',
};

/** Lower-case codes that are not also common English words. */
const SAFE_LOWERCASE = new Set(['usd', 'eur', 'gbp', 'jpy', 'chf', 'cad', 'aud', 'cny', 'inr', 'sek', 'nok']);

/** ISO codes and names in order of first appearance, without repeats. */
export function findCurrencies(text: string): string[] {
  const found: string[] = [];
  for (const word of text.match(/[A-Za-z]+/g) ?? []) {
    const code =
      word.length === 3 &&
      (word === word.toUpperCase() || SAFE_LOWERCASE.has(word)) &&
      word.toUpperCase() in FIXTURE_USD_RATES
        ? word.toUpperCase()
        : NAMES[word.toLowerCase()];
    if (code !== undefined && !found.includes(code)) found.push(code);
  }
  return found;
}

/** The first number in the text ("1,250.50" and "1250" alike), if any. */
export function findAmount(text: string): number | undefined {
  const m = text.match(/\d[\d,]*(?:\.\d+)?/);
  if (!m) return undefined;
  const n = Number(m[0].replaceAll(',', ''));
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

export const formatAmount = (n: number): string =>
  Number.isInteger(n)
    ? String(n)
    : n
        .toFixed(n < 1 ? 4 : 2)
        .replace(/0+$/, '')
        .replace(/\.$/, '');
