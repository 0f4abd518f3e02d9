/**
 * How a task snapshot's and an event's JSON body is stored. DynamoDB bills a write by the item's
 * size in started KB, and a commit rewrites the whole snapshot (twice over, in a transaction), so
 * a body of at least COMPRESS_FROM bytes is stored deflated, as a binary attribute: one format
 * byte, then raw deflate primed with a dictionary of the JSON that every A2A task repeats (keys,
 * state and role names). An echo task's final snapshot body drops from 941 bytes of JSON to 382
 * deflated, and to 210 with the dictionary, which takes its item from 1.5 KB to about 0.8 KB
 * (README, Decisions: compressed bodies). A smaller body stays a string, as every body did
 * before; both forms are read.
 *
 * A dictionary can never change once items use it: a new one gets a new format byte, and the old
 * stays readable (test/unit/body-codec.test.ts pins it).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** Below this a body is left as it is: deflating it could save a few bytes, never a KB. */
export const COMPRESS_FROM = 128;

/** Format 1: raw deflate with DICTIONARY_1. */
const FORMAT_1 = 1;

/**
 * The strings an A2A task's JSON repeats, most frequent last (deflate prefers nearer matches).
 * Frozen: see the module comment.
 */
export const DICTIONARY_1 = Buffer.from(
  [
    '{"kind":"status","kind":"artifact","lastChunk":true,"append":true,"metadata":{},',
    '"progress":{"turn":"step":"counts":{"agent":"submitter":{"subject":"scopes":["tasks:submit",',
    '"tasks:read","tasks:cancel","webhooks:manage"]},"directReply":"status":{"state":',
    '"TASK_STATE_SUBMITTED","TASK_STATE_WORKING","TASK_STATE_INPUT_REQUIRED",',
    '"TASK_STATE_AUTH_REQUIRED","TASK_STATE_FAILED","TASK_STATE_CANCELED","TASK_STATE_REJECTED",',
    '"TASK_STATE_COMPLETED","timestamp":"20","message":{"messageId":"role":"ROLE_AGENT",',
    '"role":"ROLE_USER","parts":[{"data":{"mediaType":"text/plain","filename":"url":"raw":',
    '"text":"}],"taskId":"contextId":"artifacts":[{"artifactId":"name":"description":',
    '"parts":[{"text":"history":[{"messageId":"',
  ].join(''),
  'utf8',
);

export function encodeBody(json: string): string | Uint8Array {
  if (json.length < COMPRESS_FROM) return json;
  const packed = deflateRawSync(json, { dictionary: DICTIONARY_1 });
  // incompressible text (already-compressed data as base64, say) stays readable as it is
  if (packed.byteLength + 1 >= Buffer.byteLength(json)) return json;
  const out = new Uint8Array(packed.byteLength + 1);
  out[0] = FORMAT_1;
  out.set(packed, 1);
  return out;
}

export function decodeBody(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!(value instanceof Uint8Array)) {
    throw new Error(`corrupt item: expected a string or binary body, got ${typeof value}`);
  }
  if (value[0] !== FORMAT_1) throw new Error(`corrupt item: unknown body format ${value[0]}`);
  return inflateRawSync(value.subarray(1), { dictionary: DICTIONARY_1 }).toString('utf8');
}
