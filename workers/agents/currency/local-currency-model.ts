/**
 * The offline stand-in for Bedrock: a deterministic chat model that drives the currency graph the
 * way a tool-calling LLM would. It reads the conversation since its last answer:
 * - after a get_exchange_rate result: the answer, streamed word by word;
 * - two currencies named (in the request or the user's answers): a get_exchange_rate call;
 * - one or none: an ask_user call ("which currency?").
 * Same input, same output (tool call ids included), so a re-run step reproduces its events.
 */
import { AIMessage, type BaseMessage, isBaseMessage } from '@langchain/core/messages';
import { ScriptedChatModel } from '../../graph-runtime/scripted-chunks';
import { findAmount, findCurrencies, formatAmount } from './currency-text';
import { ASK_USER, GET_EXCHANGE_RATE } from './currency-tools';
import type { RateQuote } from './exchange-rates';

export class LocalCurrencyModel extends ScriptedChatModel {
  _llmType(): string {
    return 'local-currency';
  }

  protected decide(messages: readonly BaseMessage[]): AIMessage {
    return decide(messages);
  }
}

export function decide(messages: readonly BaseMessage[]): AIMessage {
  const calls = messages.filter((m) => m.type === 'ai').length;
  const last = messages[messages.length - 1];
  if (last?.type === 'tool' && toolName(last) === GET_EXCHANGE_RATE) return new AIMessage(answer(last.text));
  const said = sinceLastAnswer(messages)
    .filter((m) => m.type === 'human' || (m.type === 'tool' && toolName(m) === ASK_USER))
    .map((m) => m.text)
    .join('\n');
  const [from, to] = findCurrencies(said);
  const amount = findAmount(said) ?? 1;
  const call = (name: string, args: Record<string, unknown>) =>
    new AIMessage({ content: '', tool_calls: [{ id: `call-${calls + 1}`, name, args, type: 'tool_call' }] });
  if (from !== undefined && to !== undefined) {
    return call(GET_EXCHANGE_RATE, { currency_from: from, currency_to: to, amount });
  }
  const question =
    from === undefined
      ? 'Which currencies should I convert? For example: 100 USD to EUR.'
      : `Which currency do you want to convert ${formatAmount(amount)} ${from} to?`;
  return call(ASK_USER, { question });
}

function answer(toolResult: string): string {
  try {
    const quote = JSON.parse(toolResult) as Partial<RateQuote> & { error?: string };
    if (quote.error !== undefined) return `Sorry, I could not get that rate: ${quote.error}.`;
    const [to, value] = Object.entries(quote.rates ?? {})[0] ?? [];
    if (to === undefined || value === undefined) return 'Sorry, I could not get that rate.';
    return `${formatAmount(quote.amount ?? 1)} ${quote.base} is ${formatAmount(value)} ${to} (rates of ${quote.date}).`;
  } catch {
    return 'Sorry, I could not read the exchange rate.';
  }
}

/** The messages after the last final answer (an AI message without tool calls). */
function sinceLastAnswer(messages: readonly BaseMessage[]): readonly BaseMessage[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.type === 'ai' && !(m as AIMessage).tool_calls?.length && m.text !== '')
      return messages.slice(i + 1);
  }
  return messages;
}

function toolName(message: BaseMessage): string | undefined {
  return isBaseMessage(message) ? (message as BaseMessage & { name?: string }).name : undefined;
}
