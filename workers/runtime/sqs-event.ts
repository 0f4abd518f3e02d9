/**
 * The SQS event a Lambda function receives from an SQS event source mapping, and its partial
 * batch response. Same names and shape as @types/aws-lambda (not installed here).
 */
export interface SQSRecordAttributes {
  AWSTraceHeader?: string;
  ApproximateReceiveCount: string;
  /** epoch ms, as a string */
  SentTimestamp: string;
  SenderId: string;
  ApproximateFirstReceiveTimestamp: string;
  SequenceNumber?: string;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
  DeadLetterQueueSourceArn?: string;
}

/** 'String', 'Number' or 'Binary', optionally with a custom suffix ('String.traceparent') */
export type SQSMessageAttributeDataType = string;

export interface SQSMessageAttribute {
  stringValue?: string;
  binaryValue?: string;
  stringListValues?: string[];
  binaryListValues?: string[];
  dataType: SQSMessageAttributeDataType;
}

export type SQSMessageAttributes = Record<string, SQSMessageAttribute>;

export interface SQSRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: SQSRecordAttributes;
  messageAttributes: SQSMessageAttributes;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  /** 'aws:sqs' */
  eventSource: string;
  eventSourceARN: string;
  awsRegion: string;
}

export interface SQSEvent {
  Records: SQSRecord[];
}

export interface SQSBatchItemFailure {
  /** the messageId of a record that failed */
  itemIdentifier: string;
}

/** Needs `FunctionResponseTypes: ["ReportBatchItemFailures"]` on the event source mapping. */
export interface SQSBatchResponse {
  batchItemFailures: SQSBatchItemFailure[];
}

/** What the event source mapping calls. Resolving to undefined means the whole batch succeeded. */
export type SQSBatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;
