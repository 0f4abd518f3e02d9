/**
 * The offline (deterministic) chat models: ScriptedChatModel decides one message from the
 * conversation, and streams it the way a real model would: tool calls as one tool-call chunk,
 * text word by word with the token callbacks. Their tools are known in advance (bindTools is a
 * no-op).
 */
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { type AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';

export type CallbackRun = Parameters<BaseChatModel['_streamResponseChunks']>[2];

export async function* streamDecided(
  message: AIMessage & { text: string },
  runManager?: CallbackRun,
): AsyncGenerator<ChatGenerationChunk> {
  if (message.tool_calls?.length) {
    const tool_call_chunks = message.tool_calls.map((c, index) => ({
      ...(c.id === undefined ? {} : { id: c.id }),
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

export abstract class ScriptedChatModel extends BaseChatModel {
  /** The model's answer to the conversation: same input, same output (tool call ids included). */
  protected abstract decide(messages: readonly BaseMessage[]): AIMessage & { text: string };

  override bindTools(): Runnable<Parameters<BaseChatModel['invoke']>[0], AIMessageChunk> {
    return this;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const message = this.decide(messages);
    return { generations: [{ text: message.text, message }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    _options: unknown,
    runManager?: CallbackRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    yield* streamDecided(this.decide(messages), runManager);
  }
}
