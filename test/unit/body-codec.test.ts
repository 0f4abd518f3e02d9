import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COMPRESS_FROM, DICTIONARY_1, decodeBody, encodeBody } from '../../adapters/dynamo/body-codec';

const task = (text: string) =>
  JSON.stringify({
    status: { state: 'TASK_STATE_COMPLETED', timestamp: '2026-12-07T00:30:04.785Z' },
    artifacts: [{ artifactId: 'echo', name: 'echo', parts: [{ text }] }],
    history: [{ messageId: 'm-1', role: 'ROLE_USER', parts: [{ text }], taskId: 't', contextId: 'c' }],
  });

describe('body codec', () => {
  it('keeps a small body a string', () => {
    const json = JSON.stringify({ kind: 'status', status: { state: 'TASK_STATE_WORKING' } });
    expect(json.length).toBeLessThan(COMPRESS_FROM);
    expect(encodeBody(json)).toBe(json);
  });

  it('deflates a large body with the dictionary and reads it back', () => {
    const json = task('hello, store '.repeat(20));
    const packed = encodeBody(json);
    expect(packed).toBeInstanceOf(Uint8Array);
    expect((packed as Uint8Array).byteLength).toBeLessThan(json.length / 2);
    expect(decodeBody(packed)).toBe(json);
  });

  it('reads every body stored as a JSON string', () => {
    expect(decodeBody(task('hello '.repeat(100)))).toBe(task('hello '.repeat(100)));
  });

  it('refuses a binary body of an unknown format', () => {
    expect(() => decodeBody(new Uint8Array([9, 1, 2]))).toThrow(/unknown body format 9/);
  });

  it('never changes dictionary 1, which stored items depend on', () => {
    expect(createHash('sha256').update(DICTIONARY_1).digest('hex')).toBe(
      '015ec278bd2dfd088bfce583f428dbe7226826bbd4c614eaa0104ef25d4db703',
    );
  });
});
