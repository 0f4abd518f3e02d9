/**
 * The AWS SDK client for a DynamoDB Local endpoint (the local stack, `npm start`). DynamoDB Local
 * reads the access key from the Authorization header (with -sharedDb not even that) and never
 * checks a signature, so requests carry a fixed, well-formed SigV4 header instead of a computed
 * one. Signing (the canonical request, a SHA-256 of the body, the HMAC chain) is 0.1–0.2 ms of
 * the SDK's 0.75–1.1 ms of CPU per request (scripts/bench/dynamo-local-probe.ts with and without
 * --signed), and the local stack makes 13–17 requests per task. Never use this client for AWS itself: it would be
 * refused there.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { SDK_LOGGER } from '../aws/sdk-logger';

export const DYNAMO_LOCAL_REGION = 'us-east-1';
const ACCESS_KEY = 'local';
/** What DynamoDB Local parses: the scheme, the credential scope and the header list. */
export const DYNAMO_LOCAL_AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/20260101/${DYNAMO_LOCAL_REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`;

type RequestSigner = Extract<NonNullable<DynamoDBClientConfig['signer']>, { sign: unknown }>;

const fixedSignature: RequestSigner = {
  async sign(request) {
    request.headers.authorization = DYNAMO_LOCAL_AUTHORIZATION;
    return request;
  },
};

export function dynamoLocalClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: DYNAMO_LOCAL_REGION,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY },
    signer: fixedSignature,
    logger: SDK_LOGGER,
  });
}
