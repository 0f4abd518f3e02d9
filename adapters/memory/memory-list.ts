/** ListTasks over the memory store's entries: the DynamoDB store's order, filters and paging. */
import { InvalidParamsError } from '../../core/errors';
import type { ListTasksPage, ListTasksQuery } from '../../core/ports/task-store';
import { fillPage } from '../shared/list-page-budget';
import { decodePageToken, encodePageToken, statusSortKey } from '../shared/list-page-token';
import type { Entry } from './memory-entry';

export async function listTasks(
  entries: Iterable<Entry>,
  tenant: string,
  q: ListTasksQuery,
  expired: (expiresAt: number | undefined) => boolean,
): Promise<ListTasksPage> {
  const after = q.pageToken === undefined ? undefined : pageCursor(q.pageToken);
  const all = [...entries]
    .map((e) => e.task)
    .filter(
      (t) =>
        t.tenant === tenant &&
        t.agentId === q.agentId &&
        !t.directReply &&
        !expired(t.expiresAt) &&
        (q.contextId === undefined || t.contextId === q.contextId) &&
        (q.status === undefined || t.status.state === q.status) &&
        (q.statusTimestampAfter === undefined || statusSortKey(t) >= sortFloor(q.statusTimestampAfter)),
    )
    .sort((a, b) => (statusSortKey(a) < statusSortKey(b) ? 1 : -1));
  const start = after === undefined ? 0 : all.findIndex((t) => statusSortKey(t) < after);
  const rest = start < 0 ? [] : all.slice(start);
  const candidates = rest.slice(0, Math.max(q.pageSize, 0)).map((t) => ({ sort: statusSortKey(t), t }));
  // the records are in memory already: reading holds nothing more
  const page = await fillPage(
    candidates,
    async (chunk) => ({ records: chunk.map((c) => c.t), heldBytes: 0 }),
    q,
  );
  const last = page.cutAfter ?? candidates[candidates.length - 1];
  const more = (page.cutAfter !== undefined || rest.length > candidates.length) && last !== undefined;
  return {
    tasks: page.tasks,
    nextPageToken: more ? encodePageToken(last.sort) : '',
    totalSize: all.length,
  };
}

/** A cursor longer than a DynamoDB sort key can be was not issued by this server. */
function pageCursor(token: string): string {
  const cursor = decodePageToken(token);
  if (Buffer.byteLength(cursor, 'utf8') > 1024) {
    throw new InvalidParamsError('pageToken is not a token this server issued', [
      { field: 'pageToken', description: 'unknown or malformed page token' },
    ]);
  }
  return cursor;
}

function sortFloor(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new InvalidParamsError('statusTimestampAfter is not a valid timestamp');
  return new Date(ms).toISOString();
}
