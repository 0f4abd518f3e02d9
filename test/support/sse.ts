/**
 * A small SSE reader for tests: parses `id:`/`event:`/`data:` fields and `:` comments, from a
 * finished body (app.inject) or from a live fetch Response.
 */
export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}
export type SseItem = { kind: 'event'; event: SseEvent } | { kind: 'comment'; text: string };

/** Splits complete SSE blocks off the front of `buffer`; returns the items and the rest. */
export function takeSse(buffer: string): { items: SseItem[]; rest: string } {
  const items: SseItem[] = [];
  let rest = buffer.replace(/\r\n/g, '\n');
  for (let end = rest.indexOf('\n\n'); end >= 0; end = rest.indexOf('\n\n')) {
    const block = rest.slice(0, end);
    rest = rest.slice(end + 2);
    const event: SseEvent = { data: '' };
    let hasData = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) items.push({ kind: 'comment', text: line.slice(1).trim() });
      else if (line.startsWith('id:')) event.id = line.slice(3).trim();
      else if (line.startsWith('event:')) event.event = line.slice(6).trim();
      else if (line.startsWith('data:')) {
        event.data = hasData ? `${event.data}\n${line.slice(5).trimStart()}` : line.slice(5).trimStart();
        hasData = true;
      }
    }
    if (hasData) items.push({ kind: 'event', event });
  }
  return { items, rest };
}

export function parseSse(body: string): SseItem[] {
  return takeSse(body.endsWith('\n\n') ? body : `${body}\n\n`).items;
}

export const eventsOf = (items: SseItem[]): SseEvent[] =>
  items.flatMap((i) => (i.kind === 'event' ? [i.event] : []));

/** The JSON-RPC envelopes of the data lines. */
export const envelopes = (
  items: SseItem[],
): { id: unknown; result?: Record<string, unknown>; error?: { code: number } }[] =>
  eventsOf(items).map((e) => JSON.parse(e.data));

/** Reads SSE items from a live response as they arrive. */
export async function* readSse(res: Response): AsyncGenerator<SseItem> {
  if (!res.body) return;
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    const { items, rest } = takeSse(buffer);
    buffer = rest;
    yield* items;
  }
}
