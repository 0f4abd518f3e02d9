/**
 * Lambda events as AWS delivers them, for tests of the deployed entries: an API Gateway HTTP API
 * request (the recorded event, with its authorizer context, re-targeted and re-bodied) and an SQS
 * batch built from what is really on a moto queue.
 */
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import recorded from '../fixtures/apigw-http-gateway-event.json';

export type HttpApiEvent = typeof recorded;

/** The recorded event for another route and body (content-length kept true, as API Gateway sends it). */
export function httpApiEvent(o: { method?: string; path?: string; body?: unknown } = {}): HttpApiEvent {
  const e = structuredClone(recorded);
  const method = o.method ?? 'POST';
  if (o.path !== undefined) {
    e.rawPath = o.path;
    e.requestContext.http.path = o.path;
    e.routeKey = `${method} ${o.path}`;
    e.requestContext.routeKey = e.routeKey;
    const agent = /^\/agents\/([^/]+)/.exec(o.path)?.[1];
    e.pathParameters = agent ? { agentId: agent } : ({} as HttpApiEvent['pathParameters']);
  }
  e.requestContext.http.method = method;
  if (o.body === undefined) {
    e.body = '';
    delete (e.headers as Record<string, string>)['content-length'];
  } else {
    e.body = JSON.stringify(o.body);
    e.headers['content-length'] = String(Buffer.byteLength(e.body));
  }
  return e;
}

/** Receives what is on a moto queue (up to 10, 1 s long poll) as the SQS event Lambda would get. */
export async function sqsEventFrom(sqs: SQSClient, url: string) {
  const received = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ['All'],
      AttributeNames: ['All'],
    }),
  );
  return {
    Records: (received.Messages ?? []).map((m) => ({
      messageId: m.MessageId,
      receiptHandle: m.ReceiptHandle,
      body: m.Body,
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: String(Date.now()),
      },
      messageAttributes: Object.fromEntries(
        Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
          k,
          { stringValue: v.StringValue, dataType: 'String' },
        ]),
      ),
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
      awsRegion: 'us-east-1',
    })),
  };
}
