/**
 * The logger every AWS SDK client of ours gets: the SDK's warnings go to the console (CloudWatch
 * in Lambda), nothing else does. Its `info` and `error` are the SDK's logger middleware, a line
 * for every call and for every failed one, with the call's input: a conditional write refused on
 * purpose, and the task items it carried, would land in the logs. Without a logger, the SDK tells
 * "no logger given" by the class name of its NoOpLogger (`constructor.name === 'NoOpLogger'`),
 * which the minified Lambda bundles rename (README decision 87): a client would then take the
 * no-op logger as given and drop the warnings it meant for the console (sockets at capacity,
 * request timeouts, a DynamoDBClient the document client cannot use).
 */
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

type SdkLogger = NonNullable<DynamoDBClientConfig['logger']>;

export const SDK_LOGGER: SdkLogger = {
  trace() {},
  debug() {},
  info() {},
  warn: (...content: unknown[]) => console.warn(...content),
  error() {},
};
