/**
 * `currency`: the A2A samples' currency agent as a tool-calling StateGraph (tool-loop-graph.ts)
 * The model is Bedrock (ChatBedrockConverse) in AWS and LocalCurrencyModel offline; rates come
 * from the live API or fixtures. Missing information is asked for with the ask_user tool, whose
 * interrupt() leaves the task INPUT_REQUIRED; the user's next message resumes it.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import { type GraphAgent, humanMessage, replyValue } from '../../graph-runtime/graph-agent';
import { toolLoopGraph } from '../../graph-runtime/tool-loop-graph';
import { currencyTools, GET_EXCHANGE_RATE } from './currency-tools';
import type { ExchangeRates } from './exchange-rates';

export interface CurrencyAgentOptions {
  model: BaseChatModel;
  rates: ExchangeRates;
}

export const CURRENCY_SYSTEM_PROMPT = [
  'You are a specialized assistant for currency conversions.',
  "Use the 'get_exchange_rate' tool to answer questions about exchange rates and conversions.",
  "If the request lacks a currency or is ambiguous, call 'ask_user' with one short question.",
  'If the user asks about anything other than currency conversion or exchange rates, say that you can only help with currency conversions.',
  'Answer in one short sentence with the converted amount and the date of the rate.',
].join(' ');

export function createCurrencyAgent(opts: CurrencyAgentOptions): GraphAgent {
  return {
    id: 'currency',
    answerName: 'conversion_result',
    recursionLimit: 25,
    compile: toolLoopGraph('currency', opts.model, currencyTools(opts.rates), CURRENCY_SYSTEM_PROMPT),
    input: (message) => ({ messages: [humanMessage(message)] }),
    resumeValue: replyValue,
    narrate: (message) => {
      if (
        message.type === 'ai' &&
        (message as AIMessage).tool_calls?.some((c) => c.name === GET_EXCHANGE_RATE)
      ) {
        return 'Looking up the exchange rates...';
      }
      if (
        message.type === 'tool' &&
        (message as BaseMessage & { name?: string }).name === GET_EXCHANGE_RATE
      ) {
        return 'Processing the exchange rates...';
      }
      return undefined;
    },
  };
}
