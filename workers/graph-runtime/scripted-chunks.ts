/**
 * How the offline (deterministic) chat models stream a message they have decided on: tool calls
 * as one tool-call chunk, text word by word with the token callbacks a real model would fire.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AIMessage, AIMessageChunk } from '@langchain/core/messages';
import { ChatGenerationChunk } from '@langchain/core/outputs';

export type CallbackRun = Parameters<BaseChatModel['_streamResponseChunks']>[2];

export async function* streamDecided(
  message: AIMessage & { text: string },
  runManager?: CallbackRun,
): AsyncGenerator<ChatGenerationChunk> {
  if (message.tool_calls?.length) {
    const tool_call_chunks = message.tool_calls.map((c, index) => ({
      id: c.id,
      name: c.name,
      args: JSON.stringify(c.args),
      index,
      type: 'tool_call_chunk' as const,
    }));
    yield new ChatGenerationChunk({
      text: '',
      message: new AIMessageChunk({ content: '', tool_call_chunks }),
    });
    return;
  }
  for (const word of message.text.split(/(?<= )/)) {
    const chunk = new ChatGenerationChunk({ text: word, message: new AIMessageChunk({ content: word }) });
    await runManager?.handleLLMNewToken(word, undefined, undefined, undefined, undefined, { chunk });
    yield chunk;
  }
}
