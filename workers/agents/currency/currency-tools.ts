/**
 * The currency agent's tools: `get_exchange_rate` (from the A2A samples' currency agent) and
 * `ask_user`, which pauses the graph with LangGraph's interrupt() until the user answers (the task
 * is INPUT_REQUIRED meanwhile; the answer is the tool's result).
 */
import { tool } from '@langchain/core/tools';
import { interrupt } from '@langchain/langgraph';
import { z } from 'zod';
import { checkRateDate, type ExchangeRates, RateLookupError } from './exchange-rates';

export const GET_EXCHANGE_RATE = 'get_exchange_rate';
export const ASK_USER = 'ask_user';

export function currencyTools(rates: ExchangeRates, now: () => number = Date.now) {
  const askUser = tool(
    async ({ question }) => {
      const answer: unknown = interrupt({ question });
      return typeof answer === 'string' ? answer : JSON.stringify(answer);
    },
    {
      name: ASK_USER,
      description: 'Ask the user a question when the request lacks information (e.g. which currency).',
      schema: z.object({ question: z.string().describe('a short question for the user') }),
    },
  );
  return [exchangeRateTool(rates, now), askUser];
}

/** `now` decides how far ahead a model-chosen date may be (a day, for time zones). */
export function exchangeRateTool(rates: ExchangeRates, now: () => number = Date.now) {
  return tool(
    async ({ currency_from, currency_to, amount, currency_date }) => {
      try {
        const q = { from: currency_from.toUpperCase(), to: currency_to.toUpperCase(), amount: amount ?? 1 };
        // the model's date is untrusted input: checked here, before any rates source sees it
        const date = currency_date ? checkRateDate(currency_date, now()) : 'latest';
        return JSON.stringify(await rates.quote(date === 'latest' ? q : { ...q, date }));
      } catch (err) {
        // A refused lookup is the model's to explain; transient failures propagate (retry).
        if (err instanceof RateLookupError) return JSON.stringify({ error: err.message });
        throw err;
      }
    },
    {
      name: GET_EXCHANGE_RATE,
      description:
        'Get the exchange rate between two currencies, optionally converting an amount. Currencies are ISO 4217 codes such as USD or EUR.',
      schema: z.object({
        currency_from: z.string().describe('currency to convert from, e.g. USD'),
        currency_to: z.string().describe('currency to convert to, e.g. EUR'),
        amount: z.number().positive().optional().describe('amount to convert; 1 when absent'),
        currency_date: z
          .string()
          .optional()
          .describe('YYYY-MM-DD (not in the future), or absent for the latest rate'),
      }),
    },
  );
}
