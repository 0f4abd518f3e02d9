/**
 * `npm run a2a` resumes a dropped stream after the last event it took: the SSE id tap reports one
 * id per event the SDK yields (events with data), however the bytes are split into chunks.
 */
import { describe, expect, it } from 'vitest';
import { StreamCursor, sseIdTap } from '../../scripts/a2a/connection';

async function tap(chunks: string[]): Promise<{ cursor: StreamCursor; bytes: string }> {
  const cursor = new StreamCursor();
  const encoder = new TextEncoder();
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
  const bytes = await new Response(source.pipeThrough(sseIdTap(cursor))).text();
  return { cursor, bytes };
}

describe('the SSE id tap of npm run a2a', () => {
  const stream =
    ': ping\n\nid: 1\ndata: {"a":1}\n\nid: 2\r\ndata: {"b":2}\r\n\r\ndata: {"no id":3}\n\nid: 4\ndata: {"d":4}\n\n';

  it('passes the bytes through unchanged', async () => {
    expect((await tap([stream])).bytes).toBe(stream);
  });

  it.each([1, 2, 3, 7])(
    'reports the ids of events with data, in order, in chunks of %i bytes',
    async (size) => {
      const chunks = stream.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
      const { cursor } = await tap(chunks);
      const taken: (string | undefined)[] = [];
      for (let i = 0; i < 4; i++) {
        cursor.taken();
        taken.push(cursor.lastEventId);
      }
      // the event without an id keeps the last id: a resume starts after event 2
      expect(taken).toEqual(['1', '2', '2', '4']);
    },
  );

  it('counts only whole events: an event cut before its blank line is not taken', async () => {
    const { cursor } = await tap(['id: 1\ndata: {}\n\nid: 2\ndata: {"cut"']);
    cursor.taken();
    cursor.taken();
    expect(cursor.lastEventId).toBe('1');
  });
});
