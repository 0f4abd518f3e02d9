/**
 * The slice of the Lambda response-streaming runtime the gateway uses. In Lambda these come from
 * the `awslambda` global (`streamifyResponse`, `HttpResponseStream.from`); tests pass fakes that
 * honour the same contract: `from()` writes the HTTP prelude (status, headers) and returns the
 * stream the body goes to; the handler must `end()` it.
 */

/** A Lambda function URL request (payload format 2.0), the fields the gateway reads. */
export interface FunctionUrlEvent {
  rawPath?: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { requestId?: string; http?: { method?: string } };
}

export interface LambdaContextLike {
  awsRequestId?: string;
}

/** The writable the runtime hands the handler (a Node Writable in Lambda). */
export interface ResponseStream {
  write(chunk: string | Uint8Array): boolean;
  end(): void;
  on(event: 'close' | 'error' | 'drain', listener: () => void): unknown;
  off(event: 'close' | 'error' | 'drain', listener: () => void): unknown;
  readonly destroyed?: boolean;
  readonly writableEnded?: boolean;
}

export interface HttpPrelude {
  statusCode: number;
  headers?: Record<string, string>;
}

export interface HttpResponseStreamApi {
  from(stream: ResponseStream, prelude: HttpPrelude): ResponseStream;
}

export type StreamingHandler = (
  event: FunctionUrlEvent,
  responseStream: ResponseStream,
  context: LambdaContextLike,
) => Promise<void>;

export interface LambdaStreamingRuntime {
  streamifyResponse(handler: StreamingHandler): unknown;
  HttpResponseStream: HttpResponseStreamApi;
}

/** The runtime's global, or a clear error outside Lambda. */
export function lambdaStreamingRuntime(): LambdaStreamingRuntime {
  const runtime = (globalThis as { awslambda?: LambdaStreamingRuntime }).awslambda;
  if (!runtime)
    throw new Error('awslambda is not defined: the streaming handler runs only in the Lambda runtime');
  return runtime;
}
