/** DynamoDB's item limit is 400 KB; the gateway keeps a margin for keys and index attributes. */
export const MAX_ITEM_BYTES = 380 * 1024;

/** Size of a record as stored (JSON is a close, slightly pessimistic proxy for DynamoDB's count). */
export const itemBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
