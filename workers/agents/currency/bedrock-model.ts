/** The currency agent's model in AWS: Bedrock's Converse API (model id from BEDROCK_MODEL_ID). */
import { ChatBedrockConverse } from '@langchain/aws';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';

export function bedrockChatModel(opts: { modelId: string; region: string }): BaseChatModel {
  // Few client retries: a throttled run goes back to the queue and resumes from its checkpoint.
  return new ChatBedrockConverse({ model: opts.modelId, region: opts.region, temperature: 0, maxRetries: 2 });
}
