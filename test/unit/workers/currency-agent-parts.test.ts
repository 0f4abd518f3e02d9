import { AIMessage, HumanMessage, ToolMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { RetryableError } from '../../../core/errors';
import { findAmount, findCurrencies } from '../../../workers/agents/currency/currency-text';
import { exchangeRateTool } from '../../../workers/agents/currency/currency-tools';
import { fixtureRates, liveRates, RateLookupError } from '../../../workers/agents/currency/exchange-rates';
import { decide } from '../../../workers/agents/currency/local-currency-model';

describe('reading currencies and amounts', () => {
  it('finds ISO codes and names in order, once each, and skips words that only look like codes', () => {
    expect(findCurrencies('How much is 100 usd in euros? Try USD to EUR and the yen')).toEqual([
      'USD',
      'EUR',
      'JPY',
    ]);
    expect(findCurrencies('try this for the cat')).toEqual([]);
  });

  it('reads the first amount, with thousands separators', () => {
    expect(findAmount('convert 1,250.50 GBP')).toBe(1250.5);
    expect(findAmount('GBP to EUR')).toBeUndefined();
  });
});

describe('the offline currency model', () => {
  it('calls get_exchange_rate when the request names two currencies', () => {
    const reply = decide([new HumanMessage('How much is 100 USD in EUR?')]);
    expect(reply.tool_calls).toEqual([
      expect.objectContaining({
        id: 'call-1',
        name: 'get_exchange_rate',
        args: { currency_from: 'USD', currency_to: 'EUR', amount: 100 },
      }),
    ]);
  });

  it('asks which currency when only one is named, and uses the answer', () => {
    const asked = decide([new HumanMessage('convert 50 GBP')]);
    expect(asked.tool_calls?.[0]).toMatchObject({
      name: 'ask_user',
      args: { question: 'Which currency do you want to convert 50 GBP to?' },
    });
    const answered = decide([
      new HumanMessage('convert 50 GBP'),
      asked,
      new ToolMessage({ content: 'JPY please', tool_call_id: 'call-1', name: 'ask_user' }),
    ]);
    expect(answered.tool_calls?.[0]).toMatchObject({
      id: 'call-2',
      name: 'get_exchange_rate',
      args: { currency_from: 'GBP', currency_to: 'JPY', amount: 50 },
    });
  });

  it('answers from the rate the tool returned, or explains a refused lookup', () => {
    const quote = JSON.stringify({ amount: 100, base: 'USD', date: '2026-01-02', rates: { EUR: 92 } });
    const call = new AIMessage({
      content: '',
      tool_calls: [{ id: 'c', name: 'get_exchange_rate', args: {} }],
    });
    const tool = (content: string) =>
      new ToolMessage({ content, tool_call_id: 'c', name: 'get_exchange_rate' });
    expect(decide([new HumanMessage('x'), call, tool(quote)]).text).toBe(
      '100 USD is 92 EUR (rates of 2026-01-02).',
    );
    expect(decide([new HumanMessage('x'), call, tool('{"error":"No rate for XYZ"}')]).text).toBe(
      'Sorry, I could not get that rate: No rate for XYZ.',
    );
  });
});

describe('exchange rates', () => {
  it('converts with the fixture rates and refuses an unknown currency', async () => {
    expect(await fixtureRates.quote({ from: 'EUR', to: 'USD', amount: 92 })).toEqual({
      amount: 92,
      base: 'EUR',
      date: '2026-01-02',
      rates: { USD: 100 },
    });
    await expect(fixtureRates.quote({ from: 'USD', to: 'XYZ', amount: 1 })).rejects.toBeInstanceOf(
      RateLookupError,
    );
  });

  it('treats a live API 5xx or 429 as retryable and a 4xx as a refused lookup', async () => {
    const answering = (status: number, body: unknown = {}) =>
      liveRates('https://rates.test', { fetch: async () => new Response(JSON.stringify(body), { status }) });
    await expect(answering(503).quote({ from: 'USD', to: 'EUR', amount: 1 })).rejects.toBeInstanceOf(
      RetryableError,
    );
    await expect(answering(429).quote({ from: 'USD', to: 'EUR', amount: 1 })).rejects.toBeInstanceOf(
      RetryableError,
    );
    await expect(answering(404).quote({ from: 'USD', to: 'EUR', amount: 1 })).rejects.toBeInstanceOf(
      RateLookupError,
    );
    expect(
      await answering(200, { amount: 2, base: 'USD', date: '2026-02-03', rates: { EUR: 1.84 } }).quote({
        from: 'USD',
        to: 'EUR',
        amount: 2,
      }),
    ).toEqual({ amount: 2, base: 'USD', date: '2026-02-03', rates: { EUR: 1.84 } });
  });

  it('asks the live API for the date, pair and amount', async () => {
    let asked = '';
    const rates = liveRates('https://rates.test/v1/', {
      fetch: async (url) => {
        asked = String(url);
        return new Response(JSON.stringify({ rates: { EUR: 1 } }));
      },
    });
    await rates.quote({ from: 'USD', to: 'EUR', amount: 3, date: '2025-12-01' });
    expect(asked).toBe('https://rates.test/v1/2025-12-01?from=USD&to=EUR&amount=3');
  });
});

describe('the get_exchange_rate tool with a model-chosen date', () => {
  const NOW = Date.UTC(2026, 0, 15, 12);
  const recording = () => {
    const asked: string[] = [];
    const rates = liveRates('https://rates.test/v1', {
      now: () => NOW,
      fetch: async (url) => {
        asked.push(String(url));
        return new Response(JSON.stringify({ date: '2026-01-14', rates: { EUR: 0.9 } }));
      },
    });
    const getRate = exchangeRateTool(rates, () => NOW);
    const call = async (currency_date?: string) =>
      JSON.parse(
        String(
          await getRate.invoke({
            currency_from: 'USD',
            currency_to: 'EUR',
            ...(currency_date === undefined ? {} : { currency_date }),
          }),
        ),
      ) as { error?: string; date?: string };
    return { asked, call };
  };

  it('asks for a real past date, "latest", tomorrow (time zones) and no date at all', async () => {
    const { asked, call } = recording();
    await call('2025-12-01');
    await call('latest');
    await call('2026-01-16');
    await call();
    expect(asked.map((u) => new URL(u).pathname)).toEqual([
      '/v1/2025-12-01',
      '/v1/latest',
      '/v1/2026-01-16',
      '/v1/latest',
    ]);
  });

  it('refuses a path, a malformed or impossible date, or one in the future, and fetches nothing', async () => {
    const { asked, call } = recording();
    for (const bad of [
      '../admin',
      '2026-01-01/../../x',
      '2026-1-5',
      '2025-02-30',
      'yesterday',
      '2026-01-18',
    ]) {
      expect((await call(bad)).error).toMatch(/must be YYYY-MM-DD|in the future/);
    }
    expect(asked).toEqual([]);
  });

  it('checks the date in the rates client too, for a caller past the tool', async () => {
    const asked: string[] = [];
    const rates = liveRates('https://rates.test', {
      fetch: async (url) => {
        asked.push(String(url));
        return new Response('{}');
      },
    });
    await expect(rates.quote({ from: 'USD', to: 'EUR', amount: 1, date: '../x' })).rejects.toBeInstanceOf(
      RateLookupError,
    );
    expect(asked).toEqual([]);
  });
});
